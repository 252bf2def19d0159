/** Timers, injectable so tests can drive delayed retries by hand. */
export interface QueueTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: QueueTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface KeyQueueOptions {
  /** Delay of the first retry after a failure; each further failure doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  timers?: QueueTimers;
}

/**
 * A work queue of object keys, as controllers use it:
 * - a key waits at most once, however often it is added (events for one object collapse);
 * - a key being processed is never handed out again until `done`; if it was added meanwhile, it
 *   is queued again then, so the latest change is always seen by a later pass;
 * - `retry` re-adds a key after an exponential per-key backoff, `forget` resets that backoff;
 * - after `shutDown`, adds are ignored and `get` hands out what is left, then undefined.
 */
export class KeyQueue {
  private readonly waiting: string[] = [];
  /** Keys that need a pass: waiting, or added again while being processed. */
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, unknown>();
  private readonly getters: Array<(key: string | undefined) => void> = [];
  private idleWaiters: Array<() => void> = [];
  private shuttingDown = false;
  private readonly timers: QueueTimers;

  constructor(private readonly options: KeyQueueOptions) {
    this.timers = options.timers ?? REAL_TIMERS;
  }

  /** Keys waiting to be handed out. */
  get length(): number {
    return this.waiting.length;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (!this.processing.has(key)) this.enqueue(key);
  }

  /** Adds the key after a delay; a key already scheduled keeps its earlier time. */
  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) return this.add(key);
    if (this.delayed.has(key)) return;
    const handle = this.timers.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, delayMs);
    this.delayed.set(key, handle);
  }

  /** Records a failure and schedules the key again: base × 2^(failures−1), capped. Returns the delay. */
  retry(key: string): number {
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    const delay = Math.min(this.options.baseDelayMs * 2 ** (failures - 1), this.options.maxDelayMs);
    this.addAfter(key, delay);
    return delay;
  }

  /** The key succeeded: its next failure starts the backoff from the base again. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  failuresOf(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** The next key to process, waiting for one if needed; undefined once shut down and empty. */
  get(): Promise<string | undefined> {
    const key = this.waiting.shift();
    if (key !== undefined) return Promise.resolve(this.take(key));
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /**
   * Ends a pass over the key without doing it, and hands it out again after `delayMs`: for a worker that may not
   * act now (leadership in doubt), so the key is neither processed nor lost.
   */
  postpone(key: string, delayMs: number): void {
    this.done(key);
    this.addAfter(key, delayMs);
  }

  /** Ends a pass over the key; queues it again if it was added during the pass. */
  done(key: string): void {
    if (!this.processing.delete(key)) return;
    if (this.dirty.has(key) && !this.shuttingDown) this.enqueue(key);
    else this.dirty.delete(key);
    this.notifyIdle();
  }

  /**
   * Stops accepting keys and cancels scheduled retries. With `discard`, keys still waiting are
   * dropped too (another process will handle them); otherwise workers drain them first.
   */
  shutDown(options: { discard?: boolean } = {}): void {
    this.shuttingDown = true;
    for (const handle of this.delayed.values()) this.timers.clearTimeout(handle);
    this.delayed.clear();
    if (options.discard) {
      for (const key of this.waiting.splice(0)) this.dirty.delete(key);
    }
    for (const resolve of this.getters.splice(0)) resolve(undefined);
    this.notifyIdle();
  }

  /** Resolves once nothing is waiting or being processed. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.waiting.length === 0 && this.processing.size === 0;
  }

  private enqueue(key: string): void {
    const getter = this.getters.shift();
    if (getter) getter(this.take(key));
    else this.waiting.push(key);
  }

  private take(key: string): string {
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
