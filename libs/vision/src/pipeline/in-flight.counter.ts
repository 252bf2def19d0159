/**
 * Requests a worker (or the bench's in-process pipeline) is serving right now. The micro-batcher reads it
 * (MicroBatchOptions.othersInFlight): with one request in flight, no other can join a batch, so waiting out the
 * batch delay would only add latency.
 */
export class InFlightCounter {
  private active = 0;

  get count(): number {
    return this.active;
  }

  /** Whether a request besides the caller's own is in flight. */
  readonly othersInFlight = (): boolean => this.active > 1;

  /** Counts `work` while it runs, whether it succeeds or fails. */
  async around<T>(work: () => Promise<T>): Promise<T> {
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
    }
  }
}
