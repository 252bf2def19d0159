import type { Request } from 'express';
import type { ModelType, RetryLaterError } from '@focal/contracts';
import type { RefusalHold } from '@focal/platform';
import { AdmissionRejectedError } from './admission.queue.js';
import { inferenceModelOf } from './admission-shed.middleware.js';
import type { RefusalPacer } from './refusal.pacer.js';

/**
 * Paces admission control's refusals of synchronous inference calls, per connection (refusal.pacer.ts). It sees
 * every such refusal, the shedding middleware's before the body is read and the service's after it (a slot taken
 * while the body came in, or a wait that timed out), so a connection refused once by either is held by both.
 * Other `Retry-After` answers (a cold model, a rate limit) are sent at once.
 */
export class AdmissionRefusalHold implements RefusalHold {
  constructor(
    private readonly pacer: RefusalPacer,
    private readonly onHeld: (type: ModelType) => void,
    private readonly now: () => number = Date.now,
  ) {}

  holdMs(request: Request, error: RetryLaterError): number {
    if (!(error instanceof AdmissionRejectedError)) return 0;
    const type = inferenceModelOf(request.method, request.path);
    if (type === undefined || !request.socket) return 0;
    const hold = this.pacer.holdMs(request.socket, this.now(), error.retryAfterSeconds);
    if (hold > 0) this.onHeld(type);
    return hold;
  }
}
