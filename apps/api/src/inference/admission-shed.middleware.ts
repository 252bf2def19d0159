import type { NextFunction, Request, Response } from 'express';
import { RetryLaterError, parseModelType, type ModelType } from '@focal/contracts';
import type { RefusalPacer } from './refusal.pacer.js';

/** The part of AdmissionControl the middleware needs: refuse at once when the model's queue is full. */
export interface RoomCheck {
  checkRoom(type: ModelType): void;
}

/** The model of a synchronous inference call (`POST /inference/<type>`, aliases included), else undefined. */
export function inferenceModelOf(method: string, path: string): ModelType | undefined {
  if (method !== 'POST') return undefined;
  const raw = /^\/inference\/([\w-]+)\/?$/.exec(path)?.[1];
  return raw === undefined ? undefined : parseModelType(raw);
}

/**
 * Sheds a synchronous inference request before its body is read: under overload, parsing and validating megabytes of
 * base64 only to answer 503 would take the event loop from the requests being served. Registered ahead of the body
 * parser, so it answers here in the filter's shape (`{"detail"}` and `Retry-After`); Node reads and discards the unread body, keeping the connection.
 * It runs before auth, which it may precede: a refusal tells an anonymous client no more than that the server is busy.
 * Jobs are never shed (they wait in Redis), and the full check still runs in InferenceService once the body is in.
 * A repeated refusal on a connection that ignored the last `Retry-After` is held by the pacer (refusal.pacer.ts).
 */
export function admissionShedMiddleware(admission: RoomCheck, pacer: RefusalPacer, onHeld: (type: ModelType) => void) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const type = inferenceModelOf(req.method, req.path);
    if (type === undefined) return next();
    try {
      admission.checkRoom(type);
    } catch (error) {
      if (!(error instanceof RetryLaterError)) return next(error);
      const refuse = () => {
        if (res.writableEnded || req.socket.destroyed) return;
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
        res.status(error.status).json({ detail: error.message });
      };
      const hold = pacer.holdMs(req.socket, Date.now(), error.retryAfterSeconds);
      if (hold === 0) return refuse();
      onHeld(type);
      setTimeout(refuse, hold);
      return;
    }
    next();
  };
}
