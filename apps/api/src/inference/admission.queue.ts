import { RetryLaterError } from '@focal/contracts';

export interface AdmissionLimits {
  /** Calls in flight at once (per worker, times the ready workers: see `capacity`). */
  maxInflight: number;
  /** Sheddable requests allowed to wait for a slot; one more is refused at once. */
  maxQueue: number;
  /** How long a sheddable request may wait for a slot before it is refused. */
  queueTimeoutMs: number;
}

/** What an admitted caller holds: release it exactly once when its call is over. */
export interface Admission {
  /** How long it waited for its slot, in ms. */
  queuedMs: number;
  release(): void;
}

export type RejectionReason = 'queue_full' | 'queue_timeout';

/** A 503 + Retry-After from admission control; `reason` is for the metrics. */
export class AdmissionRejectedError extends RetryLaterError {
  constructor(
    message: string,
    retryAfterSeconds: number,
    readonly reason: RejectionReason,
  ) {
    super(message, retryAfterSeconds, 503);
  }
}

interface Waiter {
  shed: boolean;
  enqueuedAt: number;
  admit: (admission: Admission) => void;
  timer: NodeJS.Timeout | undefined;
}

/** Weight of the newest service time in the running average: about the last ten calls count. */
const SMOOTHING = 0.1;

/**
 * One model's admission queue (Triton's queue policy): up to `capacity` calls in flight, then a FIFO of
 * waiters. Sheddable waiters (synchronous requests) are bounded in number and in waiting time; the others
 * (jobs, which already wait in Redis) are never refused and wait as long as it takes, in the same FIFO.
 *
 * Invariants: `inflight <= capacity` except after `capacity` shrinks (no call is cut short); a waiter is
 * admitted, timed out or still waiting, never two of these; slots are handed over in arrival order.
 */
export class AdmissionQueue {
  private inflight = 0;
  private readonly waiting: Waiter[] = [];
  private sheddableWaiting = 0;
  /** Running average of how long a call holds its slot, in ms; undefined until one has finished. */
  private serviceMs: number | undefined;
  private slots: number;

  constructor(
    private readonly limits: AdmissionLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.slots = limits.maxInflight;
  }

  get depth(): { waiting: number; inflight: number } {
    return { waiting: this.waiting.length, inflight: this.inflight };
  }

  get capacity(): number {
    return this.slots;
  }

  /** Slots scale with the ready workers: `maxInflight` each, at least one worker's worth. */
  setWorkers(workers: number): void {
    this.slots = this.limits.maxInflight * Math.max(1, workers);
    this.pump();
  }

  /**
   * Throws what `acquire` would throw at once for a sheddable caller, without queueing it: lets a request
   * be refused before any costly work (decoding its images) when the queue is already full.
   */
  checkRoom(): void {
    if (this.waiting.length === 0 && this.inflight < this.slots) return;
    if (this.sheddableWaiting >= this.limits.maxQueue) throw this.queueFull();
  }

  /**
   * Resolves with a slot once one is free. A sheddable caller is refused with AdmissionRejectedError
   * (503 + Retry-After) when `maxQueue` others already wait, or when it has waited `queueTimeoutMs`.
   */
  acquire(options: { shed: boolean }): Promise<Admission> {
    const enqueuedAt = this.now();
    if (this.waiting.length === 0 && this.inflight < this.slots) return Promise.resolve(this.grant(enqueuedAt));
    if (options.shed && this.sheddableWaiting >= this.limits.maxQueue) return Promise.reject(this.queueFull());
    return new Promise<Admission>((resolve, reject) => {
      const waiter: Waiter = { shed: options.shed, enqueuedAt, admit: resolve, timer: undefined };
      if (options.shed) {
        this.sheddableWaiting++;
        waiter.timer = setTimeout(() => {
          this.remove(waiter);
          reject(
            new AdmissionRejectedError(
              `server busy: no slot for this model within ${this.limits.queueTimeoutMs} ms (FOCAL_QUEUE_TIMEOUT_MS)`,
              this.retryAfterSeconds(),
              'queue_timeout',
            ),
          );
        }, this.limits.queueTimeoutMs);
      }
      this.waiting.push(waiter);
    });
  }

  /**
   * Seconds until a slot should be free for a newcomer, from the measured service rate:
   * (waiters ahead + 1) / (slots / mean service time). 1 s until a call has been measured.
   */
  retryAfterSeconds(): number {
    if (this.serviceMs === undefined) return 1;
    const perSecond = (this.slots * 1000) / this.serviceMs;
    return Math.max(1, Math.ceil((this.waiting.length + 1) / perSecond));
  }

  private queueFull(): AdmissionRejectedError {
    return new AdmissionRejectedError(
      `server busy: ${this.sheddableWaiting} requests already wait for this model (FOCAL_MAX_QUEUE=${this.limits.maxQueue})`,
      this.retryAfterSeconds(),
      'queue_full',
    );
  }

  private grant(enqueuedAt: number): Admission {
    this.inflight++;
    const startedAt = this.now();
    let released = false;
    return {
      queuedMs: startedAt - enqueuedAt,
      release: () => {
        if (released) return;
        released = true;
        this.inflight--;
        this.observe(this.now() - startedAt);
        this.pump();
      },
    };
  }

  private observe(ms: number): void {
    this.serviceMs = this.serviceMs === undefined ? ms : this.serviceMs + SMOOTHING * (ms - this.serviceMs);
  }

  private pump(): void {
    while (this.inflight < this.slots && this.waiting.length > 0) {
      const waiter = this.waiting[0];
      this.remove(waiter);
      waiter.admit(this.grant(waiter.enqueuedAt));
    }
  }

  private remove(waiter: Waiter): void {
    const index = this.waiting.indexOf(waiter);
    if (index < 0) return;
    this.waiting.splice(index, 1);
    clearTimeout(waiter.timer);
    if (waiter.shed) this.sheddableWaiting--;
  }
}
