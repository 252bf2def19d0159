import type { NamedTensors } from '../tensor/tensor.js';
import { concatFeeds, shapeKey, splitOutputs } from '../tensor/tensor-batch.js';

export interface MicroBatchOptions {
  maxBatchSize: number;
  /** How long the first request of a bucket waits for company. 0 still batches requests of the same tick. */
  maxDelayMs: number;
  /**
   * The most input elements one run may stack (the largest feed's elements × the batch); 0 or absent: no
   * budget. A request whose own input is at or above the budget runs alone. On a CPU, a large input already
   * keeps every core busy, and stacking it only grows the working set: batch 4 of a 518×686 depth input ran
   * slower than four batch-1 runs (BENCHMARKS.md, micro-batching).
   */
  maxBatchElements?: number;
  /** Observes every run's batch size (metrics, tests). */
  onBatch?: (size: number) => void;
  /**
   * Whether a request other than the ones already submitted could still join a new bucket (the worker: another
   * request is in flight). When none can, the bucket does not wait out maxDelayMs for company that cannot come;
   * it still flushes after the current tick, so the images of one request submitted together batch together.
   */
  othersInFlight?: () => boolean;
}

interface Pending {
  feeds: NamedTensors;
  resolve: (outputs: NamedTensors) => void;
  reject: (error: unknown) => void;
}

interface Bucket {
  items: Pending[];
  timer: NodeJS.Timeout | NodeJS.Immediate;
}

/**
 * Stacks concurrent batch-1 requests whose feeds share a shape into one run, then hands each caller
 * its own slice. One bucket per shape key; a bucket flushes when full or when its delay expires.
 * A failed run rejects every request of that batch (none is dropped silently).
 */
export class MicroBatcher {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly run: (feeds: NamedTensors) => Promise<NamedTensors>,
    private readonly options: MicroBatchOptions,
  ) {}

  submit(feeds: NamedTensors): Promise<NamedTensors> {
    const limit = this.batchLimit(feeds);
    if (limit <= 1) return this.run(feeds);
    return new Promise((resolve, reject) => {
      const key = shapeKey(feeds);
      const bucket = this.buckets.get(key) ?? this.openBucket(key);
      bucket.items.push({ feeds, resolve, reject });
      if (bucket.items.length >= limit) this.flush(key);
    });
  }

  /** maxBatchSize, lowered by the element budget for feeds this large (the same for every feed of a bucket). */
  private batchLimit(feeds: NamedTensors): number {
    const budget = this.options.maxBatchElements ?? 0;
    if (budget <= 0) return this.options.maxBatchSize;
    const largest = Math.max(...Object.values(feeds).map((tensor) => tensor.data.length));
    return Math.min(this.options.maxBatchSize, Math.floor(budget / Math.max(largest, 1)));
  }

  private openBucket(key: string): Bucket {
    const flush = () => this.flush(key);
    const wait = this.options.maxDelayMs > 0 && (this.options.othersInFlight?.() ?? true);
    const timer = wait ? setTimeout(flush, this.options.maxDelayMs) : setImmediate(flush);
    const bucket: Bucket = { items: [], timer };
    this.buckets.set(key, bucket);
    return bucket;
  }

  private flush(key: string): void {
    const bucket = this.buckets.get(key);
    if (!bucket) return;
    this.buckets.delete(key);
    clearTimeout(bucket.timer as NodeJS.Timeout);
    clearImmediate(bucket.timer as NodeJS.Immediate);
    void this.execute(bucket.items);
  }

  private async execute(items: Pending[]): Promise<void> {
    this.options.onBatch?.(items.length);
    try {
      if (items.length === 1) {
        items[0].resolve(await this.run(items[0].feeds));
        return;
      }
      const outputs = await this.run(concatFeeds(items.map((item) => item.feeds)));
      splitOutputs(outputs, items.length).forEach((slice, i) => items[i].resolve(slice));
    } catch (error) {
      for (const item of items) item.reject(error);
    }
  }
}
