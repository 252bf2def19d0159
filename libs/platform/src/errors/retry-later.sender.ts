import type { Request, Response } from 'express';
import type { RetryLaterError } from '@focal/contracts';

/**
 * Decides how long a `Retry-After` refusal is held before it is sent: 0 sends it at once. The API's policy paces a
 * connection that resends before its last `Retry-After` ran out (apps/api: admission-refusal.hold.ts).
 */
export interface RefusalHold {
  holdMs(request: Request, error: RetryLaterError): number;
}

/**
 * Sends a refusal as `{"detail"}` with `Retry-After`, held first if `hold` says so. Both places that refuse (the
 * shedding middleware before the body is read, and the error filter after it) send through here, so a connection's
 * refusals are paced alike whichever of them refused. A held refusal whose connection went away is dropped.
 */
export function sendRetryLater(request: Request, response: Response, error: RetryLaterError, hold?: RefusalHold): void {
  const send = () => {
    if (response.headersSent || response.writableEnded || request.socket?.destroyed) return;
    response.setHeader('Retry-After', String(error.retryAfterSeconds));
    response.status(error.status).json({ detail: error.message });
  };
  const ms = hold?.holdMs(request, error) ?? 0;
  if (ms > 0) setTimeout(send, ms);
  else send();
}
