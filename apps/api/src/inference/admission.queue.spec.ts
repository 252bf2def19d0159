import { jest } from '@jest/globals';
import { RetryLaterError } from '@focal/contracts';
import { type Admission, AdmissionQueue, AdmissionRejectedError } from './admission.queue.js';

const limits = { maxInflight: 2, maxQueue: 2, queueTimeoutMs: 1_000 };

/** Settles pending promise callbacks without moving the fake clock. */
const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

function track(promise: Promise<Admission>) {
  const state: { admission?: Admission; error?: unknown } = {};
  promise.then(
    (admission) => (state.admission = admission),
    (error: unknown) => (state.error = error),
  );
  return state;
}

describe('AdmissionQueue', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('admits at once up to the in-flight bound, then queues in arrival order', async () => {
    const queue = new AdmissionQueue(limits);
    const first = await queue.acquire({ shed: true });
    const second = await queue.acquire({ shed: true });
    expect(first.queuedMs).toBe(0);
    const third = track(queue.acquire({ shed: true }));
    const fourth = track(queue.acquire({ shed: true }));
    await flush();
    expect(queue.depth).toEqual({ waiting: 2, inflight: 2 });
    expect(third.admission).toBeUndefined();

    jest.advanceTimersByTime(300);
    first.release();
    await flush();
    expect(third.admission?.queuedMs).toBe(300);
    expect(fourth.admission).toBeUndefined();
    second.release();
    await flush();
    expect(fourth.admission).toBeDefined();
    expect(queue.depth).toEqual({ waiting: 0, inflight: 2 });
  });

  it('refuses a sheddable request past FOCAL_MAX_QUEUE with a 503 and Retry-After', async () => {
    const queue = new AdmissionQueue(limits);
    await queue.acquire({ shed: true });
    await queue.acquire({ shed: true });
    void queue.acquire({ shed: true });
    void queue.acquire({ shed: true });
    const refused = await queue.acquire({ shed: true }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AdmissionRejectedError);
    expect(refused).toBeInstanceOf(RetryLaterError);
    expect(refused).toMatchObject({ status: 503, reason: 'queue_full', retryAfterSeconds: 1 });
    expect((refused as Error).message).toMatch(/FOCAL_MAX_QUEUE=2/);
    expect(queue.depth.waiting).toBe(2);
  });

  it('checks for room without queueing: free slot or room in the queue pass, a full queue throws', async () => {
    const queue = new AdmissionQueue({ maxInflight: 1, maxQueue: 1, queueTimeoutMs: 1_000 });
    queue.checkRoom();
    await queue.acquire({ shed: true });
    queue.checkRoom();
    expect(queue.depth.waiting).toBe(0);
    void queue.acquire({ shed: true });
    expect(() => queue.checkRoom()).toThrow(AdmissionRejectedError);
  });

  it('refuses a request that waited FOCAL_QUEUE_TIMEOUT_MS, and frees its place in the queue', async () => {
    const queue = new AdmissionQueue(limits);
    const held = [await queue.acquire({ shed: true }), await queue.acquire({ shed: true })];
    const waiting = track(queue.acquire({ shed: true }));
    jest.advanceTimersByTime(999);
    await flush();
    expect(waiting.error).toBeUndefined();
    jest.advanceTimersByTime(1);
    await flush();
    expect(waiting.error).toMatchObject({ status: 503, reason: 'queue_timeout' });
    expect(queue.depth).toEqual({ waiting: 0, inflight: 2 });
    // A slot freed after the timeout goes to nobody: the timed-out caller is not admitted late.
    held[0].release();
    await flush();
    expect(waiting.admission).toBeUndefined();
    expect(queue.depth).toEqual({ waiting: 0, inflight: 1 });
  });

  it('never sheds jobs: they wait past the bound and the timeout, in FIFO order with requests', async () => {
    const queue = new AdmissionQueue({ maxInflight: 1, maxQueue: 0, queueTimeoutMs: 10 });
    const running = await queue.acquire({ shed: false });
    const jobs = [track(queue.acquire({ shed: false })), track(queue.acquire({ shed: false }))];
    const request = track(queue.acquire({ shed: true }));
    await flush();
    expect(request.error).toMatchObject({ reason: 'queue_full' });
    jest.advanceTimersByTime(60_000);
    await flush();
    expect(jobs.map((j) => j.error)).toEqual([undefined, undefined]);
    running.release();
    await flush();
    expect(jobs[0].admission?.queuedMs).toBe(60_000);
    expect(jobs[1].admission).toBeUndefined();
  });

  it('computes Retry-After from the measured service rate and the queue ahead', async () => {
    const queue = new AdmissionQueue({ maxInflight: 1, maxQueue: 10, queueTimeoutMs: 60_000 });
    expect(queue.retryAfterSeconds()).toBe(1);
    // Every call holds its slot 2 s: one slot serves 0.5 requests per second.
    for (let i = 0; i < 3; i++) {
      const admission = await queue.acquire({ shed: true });
      jest.advanceTimersByTime(2_000);
      admission.release();
    }
    expect(queue.retryAfterSeconds()).toBe(2);
    const held = await queue.acquire({ shed: true });
    for (let i = 0; i < 3; i++) void queue.acquire({ shed: true });
    // Three wait ahead of a newcomer: (3 + 1) / 0.5 per second.
    expect(queue.retryAfterSeconds()).toBe(8);
    // Twice the workers, twice the rate.
    queue.setWorkers(2);
    await flush();
    expect(queue.depth).toEqual({ waiting: 2, inflight: 2 });
    expect(queue.retryAfterSeconds()).toBe(3);
    held.release();
  });

  it('scales its slots with the ready workers and admits waiters when workers are added', async () => {
    const queue = new AdmissionQueue(limits);
    queue.setWorkers(0);
    expect(queue.capacity).toBe(2);
    await queue.acquire({ shed: true });
    await queue.acquire({ shed: true });
    const waiter = track(queue.acquire({ shed: true }));
    queue.setWorkers(3);
    await flush();
    expect(queue.capacity).toBe(6);
    expect(waiter.admission).toBeDefined();
  });

  it('counts a released admission once, however often it is released', async () => {
    const queue = new AdmissionQueue(limits);
    const admission = await queue.acquire({ shed: true });
    await queue.acquire({ shed: true });
    admission.release();
    admission.release();
    expect(queue.depth.inflight).toBe(1);
  });
});
