import { fileSize } from '../files/atomic-fs.js';
import type { HttpSettings } from '../model-store.options.js';
import { withDownloadLock } from './download-lock.js';
import { fetchFile, type FileFetchRequest } from './file-fetcher.js';

export interface LockedDownloadSettings extends HttpSettings {
  readonly lockStaleMs: number;
}

/**
 * Makes sure `dest` holds the file, downloading it at most once among concurrent callers:
 * whoever gets the lock downloads; the others wait, then find the file in place.
 */
export async function ensureDownloaded(
  request: FileFetchRequest,
  lockPath: string,
  settings: LockedDownloadSettings,
): Promise<void> {
  if (await isComplete(request.dest, request.expected.size)) return;
  await withDownloadLock(lockPath, { staleMs: settings.lockStaleMs, signal: request.signal }, async (signal) => {
    if (await isComplete(request.dest, request.expected.size)) return;
    await fetchFile({ ...request, signal }, settings);
  });
}

async function isComplete(path: string, expectedSize: number | undefined): Promise<boolean> {
  const size = await fileSize(path);
  return size !== undefined && (expectedSize === undefined || size === expectedSize);
}
