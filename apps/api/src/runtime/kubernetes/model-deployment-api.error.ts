import { ConflictError, type FocalError, InvalidInputError, NotFoundError, UpstreamError } from '@focal/contracts';

/**
 * A failed call to the Kubernetes API, independent of the client library. `status` is the HTTP
 * code, or 0 when the API server could not be reached at all.
 */
export class ModelDeploymentApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The Status object's reason, such as AlreadyExists or Invalid, when the server sent one. */
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'ModelDeploymentApiError';
  }

  /**
   * What an API client should see: a ModelDeployment the API server rejects is the caller's input
   * (400), while an unreachable or unauthorised API server is the deployment's fault (502), not the
   * caller's, so RBAC problems never masquerade as a 403 of Focal's own.
   */
  toFocalError(action: string): FocalError {
    const message = `${action}: ${this.message}`;
    if (this.status === 400 || this.status === 422) return new InvalidInputError(message);
    if (this.status === 404) return new NotFoundError(message);
    if (this.status === 409) return new ConflictError(message);
    if (this.status === 0) return new UpstreamError(`${action}: Kubernetes API unreachable: ${this.message}`);
    if (this.status === 401 || this.status === 403) {
      return new UpstreamError(`${message} (check the API's service account and RBAC)`);
    }
    return new UpstreamError(message);
  }
}

export function isApiError(error: unknown, status: number): boolean {
  return error instanceof ModelDeploymentApiError && error.status === status;
}
