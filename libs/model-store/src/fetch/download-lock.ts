import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { lock } from 'proper-lockfile';
import { ModelFetchError } from '../model-store.errors.js';

export interface DownloadLockOptions {
  /** A lock whose holder stopped refreshing it for this long is taken over (a crashed process). */
  readonly staleMs: number;
  readonly signal: AbortSignal | undefined;
  readonly pollMs?: number;
}

/**
 * Runs `work` while holding a cross-process lock (proper-lockfile: an atomic mkdir refreshed by
 * its holder), so concurrent fetchers of one file, in this process or others, download it once.
 * Waiters poll; `work` gets a signal that also fires if the lock is lost mid-way.
 */
export async function withDownloadLock<T>(
  lockPath: string,
  options: DownloadLockOptions,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  await mkdir(dirname(lockPath), { recursive: true });
  const lost = new AbortController();
  const release = await acquire(lockPath, options, lost);
  const signal = options.signal === undefined ? lost.signal : AbortSignal.any([options.signal, lost.signal]);
  try {
    return await work(signal);
  } finally {
    // Releasing a lock that was already lost or taken over throws; there is nothing left to undo then.
    await release().catch(() => undefined);
  }
}

async function acquire(
  lockPath: string,
  options: DownloadLockOptions,
  lost: AbortController,
): Promise<() => Promise<void>> {
  for (;;) {
    try {
      return await lock(lockPath, {
        realpath: false,
        lockfilePath: lockPath,
        stale: options.staleMs,
        onCompromised: (error) =>
          lost.abort(new ModelFetchError(`download lock lost: ${error.message}`, { retriable: false })),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      await sleep(options.pollMs ?? 200, undefined, { signal: options.signal });
    }
  }
}
