import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { withDownloadLock } from './download-lock.js';

describe('withDownloadLock', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'focal-lock-'));
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('runs holders of the same lock one after the other', async () => {
    const lockPath = join(dir, 'locks', 'blob.focal-lock');
    const events: string[] = [];
    const work = (name: string) =>
      withDownloadLock(lockPath, { staleMs: 5000, signal: undefined, pollMs: 10 }, async () => {
        events.push(`${name} start`);
        await sleep(50);
        events.push(`${name} end`);
      });
    await Promise.all([work('a'), work('b')]);
    // Which one wins the mkdir race is up to the file system; that they never overlap is the lock's promise.
    const first = events[0]?.split(' ')[0];
    const second = first === 'a' ? 'b' : 'a';
    expect(events).toEqual([`${first} start`, `${first} end`, `${second} start`, `${second} end`]);
  });

  it('stops waiting when the caller aborts', async () => {
    const lockPath = join(dir, 'blob.focal-lock');
    const waiter = new AbortController();
    let ran = false;
    const holder = withDownloadLock(lockPath, { staleMs: 5000, signal: undefined }, () => sleep(300));
    await sleep(20);
    const waiting = withDownloadLock(lockPath, { staleMs: 5000, signal: waiter.signal, pollMs: 10 }, async () => {
      ran = true;
    });
    waiter.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    await holder;
    expect(ran).toBe(false);
  });
});
