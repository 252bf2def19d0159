/**
 * A Kubernetes API call that the server answered with an error Status. The adapters translate
 * the client library's exceptions into this, so the reconciler and the leader elector can tell a
 * conflict from a missing object without depending on the client.
 */
export class KubeApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

/** 409: a stale resourceVersion (Conflict) or a create that lost a race (AlreadyExists). */
export function isConflict(error: unknown): boolean {
  return error instanceof KubeApiError && error.code === 409;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof KubeApiError && error.code === 404;
}
