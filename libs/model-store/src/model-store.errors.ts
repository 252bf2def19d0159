/**
 * Typed failures of the model store. They carry a stable `code` rather than an HTTP status
 * because what a caller should answer depends on the caller (a 401 from the hub is a
 * server-side configuration problem for the REST API, not the API client's fault).
 */
export abstract class ModelStoreError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The id or URI cannot name a model (bad repo id, unsupported scheme, relative path). */
export class InvalidModelIdError extends ModelStoreError {
  readonly code = 'INVALID_MODEL_ID';
}

/** The repo, revision, file or local path does not exist (HTTP 404), or no file matched the selection. */
export class ModelNotFoundError extends ModelStoreError {
  readonly code = 'MODEL_NOT_FOUND';
}

/** The source refused access (HTTP 401/403): a private or gated repo, or a bad token. */
export class ModelAccessError extends ModelStoreError {
  readonly code = 'MODEL_ACCESS_DENIED';

  constructor(
    message: string,
    readonly status: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Transport or server failure. `retriable` errors (network, timeouts, 5xx, 429) are retried with resume. */
export class ModelFetchError extends ModelStoreError {
  readonly code = 'MODEL_FETCH_FAILED';

  constructor(
    message: string,
    readonly details: { status?: number; retriable: boolean },
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  get status(): number | undefined {
    return this.details.status;
  }

  get retriable(): boolean {
    return this.details.retriable;
  }
}

/** Downloaded bytes do not match the size or hash the source announced. Nothing is kept. */
export class IntegrityError extends ModelStoreError {
  readonly code = 'INTEGRITY_MISMATCH';

  constructor(
    readonly file: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${file}: expected ${expected}, got ${actual}; the partial download was deleted`);
  }
}

/** Offline mode (or an unreachable source) and the cache does not hold what was asked for. */
export class OfflineError extends ModelStoreError {
  readonly code = 'OFFLINE_CACHE_MISS';
}
