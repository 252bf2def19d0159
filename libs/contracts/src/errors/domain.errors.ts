/**
 * Typed domain errors. Services throw these; one exception filter maps them to HTTP.
 * The `status` is part of the contract so the filter needs no per-class table.
 */
export abstract class FocalError extends Error {
  abstract readonly status: number;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidInputError extends FocalError {
  readonly status = 400;
}

export class UnauthorizedError extends FocalError {
  readonly status = 401;
}

export class ForbiddenError extends FocalError {
  readonly status = 403;
}

export class NotFoundError extends FocalError {
  readonly status = 404;
}

export class ConflictError extends FocalError {
  readonly status = 409;
}

export class PayloadTooLargeError extends FocalError {
  readonly status = 413;
}

/** Not implemented by the served model (an honest refusal, never a fake success). */
export class NotImplementedError extends FocalError {
  readonly status = 501;
}

/** Upstream worker failed or answered garbage. Retried by jobs. */
export class UpstreamError extends FocalError {
  readonly status = 502;
}

/** A model could not become ready in time, or is failed. Retried by jobs. */
export class ModelUnavailableError extends FocalError {
  readonly status = 503;
}

/** A backing service (the job queue's Redis, the Kubernetes API) is unreachable. */
export class ServiceUnavailableError extends FocalError {
  readonly status = 503;
}

/**
 * The server cannot take the request now but will soon: a full queue, a cold model that would outlast the client's
 * `Prefer: wait`, a rate limit. The filter sends `Retry-After: <retryAfterSeconds>` (whole seconds, at least 1).
 */
export class RetryLaterError extends FocalError {
  readonly status: 429 | 503;
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number, status: 429 | 503 = 503) {
    super(message);
    this.status = status;
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

/** Errors worth retrying in async jobs: the request itself was fine. A 501 refusal never succeeds on retry. */
export function isTransientError(error: unknown): boolean {
  if (error instanceof FocalError) return error.status >= 500 && error.status !== 501;
  return true;
}

/** Rebuilds a typed error from an HTTP status and detail, e.g. a worker's `{detail}` answer. */
export function errorFromStatus(status: number, detail: string): FocalError {
  switch (status) {
    case 400:
    case 422:
      return new InvalidInputError(detail);
    case 401:
      return new UnauthorizedError(detail);
    case 403:
      return new ForbiddenError(detail);
    case 404:
      return new NotFoundError(detail);
    case 409:
      return new ConflictError(detail);
    case 413:
      return new PayloadTooLargeError(detail);
    case 501:
      return new NotImplementedError(detail);
    case 503:
      return new ModelUnavailableError(detail);
    default:
      return new UpstreamError(detail);
  }
}
