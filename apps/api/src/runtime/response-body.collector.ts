/**
 * Gathers a response body from its socket chunks. With a Content-Length (a worker's frames have one), each
 * chunk is copied at once into one buffer of that size and let go: the chunks are slices of the socket's
 * read buffers, and holding them until the end (then concatenating) kept a second copy of every frame alive
 * long enough to be promoted, waiting for a full garbage collection (about 20 MB at concurrency 8). Without
 * a length the chunks are concatenated at the end.
 */
export class ResponseBodyCollector {
  private body: Buffer | undefined;
  private filled = 0;
  private readonly chunks: Buffer[] = [];

  constructor(contentLength: string | undefined) {
    const length = Number(contentLength);
    if (contentLength !== undefined && Number.isSafeInteger(length) && length >= 0) {
      this.body = Buffer.allocUnsafeSlow(length);
    }
  }

  add(chunk: Buffer): void {
    if (this.body && this.filled + chunk.length <= this.body.length) {
      this.filled += chunk.copy(this.body, this.filled);
      return;
    }
    if (this.body) {
      // Longer than announced (Node's parser forbids it; kept safe anyway): collect the rest as chunks.
      this.chunks.push(this.body.subarray(0, this.filled));
      this.body = undefined;
    }
    this.chunks.push(chunk);
  }

  /** The bytes received, in order. */
  result(): Buffer {
    if (this.body) return this.body.subarray(0, this.filled);
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
  }
}
