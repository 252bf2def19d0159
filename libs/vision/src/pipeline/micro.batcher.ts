import type { NamedTensors } from '../tensor/tensor.js';
import { concatFeeds, shapeKey, splitOutputs } from '../tensor/tensor-batch.js';

export interface MicroBatchOptions {
  maxBatchSize: number;
  /** How long the first request of a bucket waits for company. 0 still batches requests of the same tick. */
  maxDelayMs: number;
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
    if (this.options.maxBatchSize <= 1) return this.run(feeds);
    return new Promise((resolve, reject) => {
      const key = shapeKey(feeds);
      const bucket = this.buckets.get(key) ?? this.openBucket(key);
      bucket.items.push({ feeds, resolve, reject });
      if (bucket.items.length >= this.options.maxBatchSize) this.flush(key);
    });
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
