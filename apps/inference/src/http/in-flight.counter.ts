import { Injectable } from '@nestjs/common';

/**
 * Requests the worker is serving right now. The micro-batcher reads it: with one request in flight, no other
 * can join a batch, so waiting out the batch delay would only add latency.
 */
@Injectable()
export class InFlightCounter {
  private active = 0;

  get count(): number {
    return this.active;
  }

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
