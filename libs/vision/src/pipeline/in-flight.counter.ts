/**
 * Requests a worker (or the bench's in-process pipeline) is serving right now. The micro-batcher reads it
 * (MicroBatchOptions.inFlight): with one request in flight no other can join a batch, and once a batch holds all
 * of them none can, so waiting out the batch delay would only add latency.
 */
export class InFlightCounter {
  private active = 0;

  /** How many are in flight; a bound function, so it can be handed over as MicroBatchOptions.inFlight. */
  readonly inFlight = (): number => this.active;

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
