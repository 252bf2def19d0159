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
   * How many requests are in flight (the worker's, the caller's included): the company a bucket can still get.
   * With one, the bucket does not wait out maxDelayMs for company that cannot come; and once it holds as many
   * images as there are requests in flight, it waits no longer. Either way it flushes after the current tick, so
   * the images of one request submitted together batch together. Absent: a bucket always waits out maxDelayMs.
   */
  inFlight?: () => number;
}

interface Pending {
  feeds: NamedTensors;
  resolve: (outputs: NamedTensors) => void;
  reject: (error: unknown) => void;
}

interface Bucket {
  items: Pending[];
  timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  /** Its timer is the batch delay (not the end of the current tick). */
  waiting: boolean;
  /** Its delay ran out while a run was going: it runs next, and takes whatever joins it until then. */
  due: boolean;
  /** Order of opening: batches run oldest first. */
  seq: number;
}

/** A batch closed (full, or a request that runs alone) and waiting for the run before it to end. */
interface Closed {
  items: Pending[];
  seq: number;
}

/**
 * Stacks concurrent batch-1 requests whose feeds share a shape into one run, then hands each caller
 * its own slice. One bucket per shape key; a bucket closes when full or when its delay expires.
 *
 * One run at a time (Triton's dynamic batcher with one model instance): onnxruntime-node runs `session.run` on
 * the JavaScript thread, so a second run started during the first would only queue behind it, fixed as a batch of
 * whatever had come by its own delay, and its timing (the run metric) would count the wait for the first. Instead
 * a bucket whose delay runs out during a run stays open and runs when that run ends, with every request that joined
 * it meanwhile (up to the batch limit). Batches run in the order their buckets opened. A failed run rejects every
 * request of that batch (none is dropped silently) and the next batch runs.
 *
 * Batches stay small when requests reach the batcher one by one: on a CPU worker at c=8 each request's decode and
 * preprocessing (5–15 ms) outlasts a 2 ms delay, and nothing is submitted while a run holds the thread (the
 * ViT-S/16 averaged 1.8 images a run, BENCHMARKS.md).
 */
export class MicroBatcher {
  private readonly buckets = new Map<string, Bucket>();
  private readonly closed: Closed[] = [];
  private running = false;
  private opened = 0;

  constructor(
    private readonly run: (feeds: NamedTensors) => Promise<NamedTensors>,
    private readonly options: MicroBatchOptions,
  ) {}

  submit(feeds: NamedTensors): Promise<NamedTensors> {
    const limit = this.batchLimit(feeds);
    return new Promise((resolve, reject) => {
      const item = { feeds, resolve, reject };
      if (limit <= 1) {
        this.closed.push({ items: [item], seq: this.opened++ });
        this.pump();
        return;
      }
      const key = shapeKey(feeds);
      const bucket = this.buckets.get(key) ?? this.openBucket(key);
      bucket.items.push(item);
      if (bucket.items.length >= limit) this.close(key);
      else if (bucket.waiting && bucket.items.length >= (this.options.inFlight?.() ?? Infinity)) this.stopWaiting(key);
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
    const due = () => this.markDue(key);
    const wait = this.options.maxDelayMs > 0 && (this.options.inFlight?.() ?? 2) > 1;
    const timer = wait ? setTimeout(due, this.options.maxDelayMs) : setImmediate(due);
    const bucket: Bucket = { items: [], timer, waiting: wait, due: false, seq: this.opened++ };
    this.buckets.set(key, bucket);
    return bucket;
  }

  /** Every request in flight has joined: the bucket is due after this tick instead of at the end of its delay. */
  private stopWaiting(key: string): void {
    const bucket = this.buckets.get(key)!;
    clearTimeout(bucket.timer as NodeJS.Timeout);
    bucket.waiting = false;
    bucket.timer = setImmediate(() => this.markDue(key));
  }

  private markDue(key: string): void {
    const bucket = this.buckets.get(key);
    if (!bucket) return;
    bucket.timer = undefined;
    bucket.waiting = false;
    bucket.due = true;
    this.pump();
  }

  /** A full bucket leaves the map (the next request of its shape opens a new one) and waits its turn. */
  private close(key: string): void {
    const bucket = this.buckets.get(key);
    if (!bucket) return;
    this.buckets.delete(key);
    clearTimeout(bucket.timer as NodeJS.Timeout);
    clearImmediate(bucket.timer as NodeJS.Immediate);
    this.closed.push({ items: bucket.items, seq: bucket.seq });
    this.pump();
  }

  /** Starts the oldest batch that may run, unless a run is going: its end calls pump again. */
  private pump(): void {
    if (this.running) return;
    const items = this.takeOldest();
    if (!items) return;
    this.running = true;
    void this.execute(items).finally(() => {
      this.running = false;
      this.pump();
    });
  }

  private takeOldest(): Pending[] | undefined {
    let dueKey: string | undefined;
    let dueSeq = Infinity;
    for (const [key, bucket] of this.buckets) {
      if (bucket.due && bucket.seq < dueSeq) [dueKey, dueSeq] = [key, bucket.seq];
    }
    const closedIndex = this.closed.reduce((best, c, i) => (best < 0 || c.seq < this.closed[best].seq ? i : best), -1);
    if (closedIndex >= 0 && this.closed[closedIndex].seq < dueSeq) return this.closed.splice(closedIndex, 1)[0].items;
    if (dueKey === undefined) return undefined;
    const bucket = this.buckets.get(dueKey)!;
    this.buckets.delete(dueKey);
    return bucket.items;
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
