import type { NextFunction, Request, Response } from 'express';
import { RetryLaterError, parseModelType, type ModelType } from '@focal/contracts';
import { sendRetryLater, type RefusalHold } from '@focal/platform';

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
 * A repeated refusal on a connection that ignored the last `Retry-After` is held by `hold` (admission-refusal.hold.ts).
 */
export function admissionShedMiddleware(admission: RoomCheck, hold: RefusalHold) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const type = inferenceModelOf(req.method, req.path);
    if (type === undefined) return next();
    try {
      admission.checkRoom(type);
    } catch (error) {
      if (!(error instanceof RetryLaterError)) return next(error);
      sendRetryLater(req, res, error, hold);
      return;
    }
    next();
  };
}
