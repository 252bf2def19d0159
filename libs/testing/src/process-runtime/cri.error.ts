/** A failed CRI call, with the gRPC status the kubelet reads it by (it checks NOT_FOUND to tell a gone object). */
export class CriError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'INVALID_ARGUMENT' | 'FAILED_PRECONDITION' | 'UNIMPLEMENTED' | 'INTERNAL',
    message: string,
  ) {
    super(message);
    this.name = 'CriError';
  }
}
