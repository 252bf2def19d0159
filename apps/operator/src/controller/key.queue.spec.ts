import { KeyQueue, type QueueTimers } from './key.queue.js';

/** Timers advanced by hand: `advance(ms)` fires what falls due, in time order. */
class ManualTimers implements QueueTimers {
  now = 0;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.now + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= until).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
    }
    this.now = until;
  }

  get scheduled(): number[] {
    return [...this.pending.values()].map((t) => t.at - this.now).sort((a, b) => a - b);
  }
}

function queue(timers = new ManualTimers()) {
  return { q: new KeyQueue({ baseDelayMs: 100, maxDelayMs: 1000, timers }), timers };
}

/** Takes every key that is ready now without waiting. */
async function drainNow(q: KeyQueue): Promise<string[]> {
  const keys: string[] = [];
  while (q.length > 0) keys.push((await q.get()) as string);
  return keys;
}

describe('KeyQueue', () => {
  it('hands keys out in order and collapses repeated adds of a waiting key', async () => {
    const { q } = queue();
    for (const key of ['ns/a', 'ns/b', 'ns/a', 'ns/c', 'ns/b']) q.add(key);
    expect(q.length).toBe(3);
    expect(await drainNow(q)).toEqual(['ns/a', 'ns/b', 'ns/c']);
  });

  it('never hands out a key that is being processed; an add during the pass queues it once after done', async () => {
    const { q } = queue();
    q.add('ns/a');
    const key = await q.get();
    q.add('ns/a');
    q.add('ns/a');
    expect(q.length).toBe(0);
    q.done(key as string);
    expect(q.length).toBe(1);
    expect(await drainNow(q)).toEqual(['ns/a']);
  });

  it('does not queue a key again after done when nobody added it during the pass', async () => {
    const { q } = queue();
    q.add('ns/a');
    q.done((await q.get()) as string);
    expect(q.length).toBe(0);
  });

  it('wakes a waiting get when a key arrives', async () => {
    const { q } = queue();
    const next = q.get();
    q.add('ns/late');
    await expect(next).resolves.toBe('ns/late');
    expect(q.length).toBe(0);
  });

  it.each([
    { failures: 1, delay: 100 },
    { failures: 2, delay: 200 },
    { failures: 3, delay: 400 },
    { failures: 4, delay: 800 },
    { failures: 5, delay: 1000 },
    { failures: 9, delay: 1000 },
  ])('backs off exponentially per key: failure $failures waits $delay ms', ({ failures, delay }) => {
    const { q } = queue();
    let last = 0;
    for (let i = 0; i < failures; i++) {
      last = q.retry('ns/a');
      q.forget('ns/other');
    }
    expect(last).toBe(delay);
    expect(q.failuresOf('ns/a')).toBe(failures);
  });

  it('re-adds a failed key only when its delay has passed, and forget resets the backoff', async () => {
    const { q, timers } = queue();
    q.add('ns/a');
    const key = (await q.get()) as string;
    expect(q.retry(key)).toBe(100);
    q.done(key);
    timers.advance(99);
    expect(q.length).toBe(0);
    timers.advance(1);
    expect(q.length).toBe(1);
    const again = (await q.get()) as string;
    expect(q.retry(again)).toBe(200);
    q.done(again);
    q.forget('ns/a');
    expect(q.failuresOf('ns/a')).toBe(0);
    expect(q.retry('ns/a')).toBe(100);
  });

  it('postpone ends the pass and hands the key out again only after the delay, without counting a failure', async () => {
    const { q, timers } = queue();
    q.add('ns/a');
    const key = (await q.get()) as string;
    q.postpone(key, 300);
    expect(q.length).toBe(0);
    timers.advance(299);
    expect(q.length).toBe(0);
    timers.advance(1);
    expect(await drainNow(q)).toEqual(['ns/a']);
    expect(q.failuresOf('ns/a')).toBe(0);
  });

  it('keeps backoffs of different keys apart', () => {
    const { q } = queue();
    q.retry('ns/a');
    q.retry('ns/a');
    expect(q.retry('ns/b')).toBe(100);
    expect(q.failuresOf('ns/a')).toBe(2);
  });

  it('keeps the earlier time when a key is scheduled twice', () => {
    const { q, timers } = queue();
    q.addAfter('ns/a', 500);
    q.addAfter('ns/a', 50);
    expect(timers.scheduled).toEqual([500]);
    q.addAfter('ns/b', 0);
    expect(q.length).toBe(1);
  });

  it('after shutDown ignores adds and cancels retries, but hands out what was waiting, then undefined', async () => {
    const { q, timers } = queue();
    q.add('ns/a');
    q.retry('ns/b');
    q.shutDown();
    q.add('ns/c');
    expect(timers.scheduled).toEqual([]);
    expect(q.isShuttingDown).toBe(true);
    await expect(q.get()).resolves.toBe('ns/a');
    q.done('ns/a');
    await expect(q.get()).resolves.toBeUndefined();
  });

  it('shutDown with discard drops waiting keys and releases blocked getters', async () => {
    const { q } = queue();
    const blocked = q.get();
    q.shutDown({ discard: true });
    await expect(blocked).resolves.toBeUndefined();
    const { q: other } = queue();
    other.add('ns/a');
    other.add('ns/b');
    other.shutDown({ discard: true });
    await expect(other.get()).resolves.toBeUndefined();
  });

  it('whenIdle resolves once the last pass is done', async () => {
    const { q } = queue();
    q.add('ns/a');
    const key = (await q.get()) as string;
    let idle = false;
    const waiting = q.whenIdle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    q.done(key);
    await waiting;
    expect(idle).toBe(true);
  });
});
