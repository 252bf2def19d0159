import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { HttpSettings } from '../model-store.options.js';
import { IntegrityError, ModelFetchError } from '../model-store.errors.js';
import type { ProgressListener } from '../progress.js';
import { fileSize } from '../files/atomic-fs.js';
import { verifyContent, type ExpectedContent } from './content-check.js';
import { httpGet } from './http-client.js';
import { asFetchFailure, errorFromResponse } from './http-errors.js';
import { IdleTimeout } from './idle-timeout.js';
import { withRetries } from './retry.js';

/** huggingface_hub's suffix for partial blobs, so either tool can resume the other's download. */
export const PARTIAL_SUFFIX = '.incomplete';

export interface FileFetchRequest {
  readonly url: string;
  /** Final path; bytes accumulate in `<dest>.incomplete` until verified. */
  readonly dest: string;
  /** File name for progress events. */
  readonly label: string;
  /** Error message prefix, e.g. `hf://org/name@main: onnx/model.onnx`. */
  readonly what: string;
  readonly accessHint: string;
  readonly expected: ExpectedContent;
  readonly token: string | undefined;
  readonly onProgress: ProgressListener | undefined;
  readonly signal: AbortSignal | undefined;
}

/**
 * Downloads into a `.incomplete` file, resuming with a Range request after a cut-off
 * (within retries and across calls), verifies size and hash, then renames into place
 * so `dest` only ever holds complete, verified content. Callers hold the download lock.
 */
export async function fetchFile(request: FileFetchRequest, settings: HttpSettings): Promise<void> {
  const partial = request.dest + PARTIAL_SUFFIX;
  await mkdir(dirname(partial), { recursive: true });
  await withRetries(() => downloadRemainder(request, partial, settings), { ...settings, signal: request.signal });
  // Hashing the finished file, rather than while streaming, stays correct however many attempts
  // (or processes, or huggingface_hub itself) wrote the parts of a resumed download.
  try {
    await verifyContent(partial, request.expected, request.label);
  } catch (error) {
    // Bad bytes must not be resumed from; the next attempt starts over.
    if (error instanceof IntegrityError) await rm(partial, { force: true });
    throw error;
  }
  await rename(partial, request.dest);
}

async function downloadRemainder(request: FileFetchRequest, partial: string, settings: HttpSettings): Promise<void> {
  const offset = await resumeOffset(partial, request.expected.size);
  if (offset !== undefined && offset === request.expected.size) return;
  const idle = new IdleTimeout(settings.timeoutMs, request.signal);
  try {
    const headers: Record<string, string> = offset ? { Range: `bytes=${offset}-` } : {};
    const response = await httpGet(request.url, { token: request.token, headers, signal: idle.signal }, settings);
    idle.touch();
    if (response.status === 416) return await acceptUnsatisfiable(response, partial, offset ?? 0, request.what);
    if (!response.ok) throw await errorFromResponse(response, request);
    const start = await startOffset(response, partial, offset ?? 0, request.what);
    const total = request.expected.size ?? announcedTotal(response, start);
    await appendBody(response, partial, start, (received) => {
      idle.touch();
      request.onProgress?.({ file: request.label, received, total });
    });
  } catch (error) {
    throw asFetchFailure(error, request.what, idle, request.signal);
  } finally {
    idle.clear();
  }
}

/** Bytes already on disk, or undefined when there is no partial file. A partial longer than the file is discarded. */
async function resumeOffset(partial: string, expectedSize: number | undefined): Promise<number | undefined> {
  const size = await fileSize(partial);
  if (size !== undefined && expectedSize !== undefined && size > expectedSize) {
    await rm(partial, { force: true });
    return undefined;
  }
  return size;
}

/** A 206 must continue exactly where the partial file ends; a 200 means the server restarted from byte 0. */
async function startOffset(response: Response, partial: string, offset: number, what: string): Promise<number> {
  if (response.status !== 206) return 0;
  const start = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1];
  if (start !== undefined && Number(start) === offset) return offset;
  await response.body?.cancel();
  await rm(partial, { force: true });
  throw new ModelFetchError(`${what}: server answered an unexpected range; restarting`, {
    status: 206,
    retriable: true,
  });
}

/** 416 on resume means the partial file already holds everything (when the sizes agree). */
async function acceptUnsatisfiable(response: Response, partial: string, offset: number, what: string): Promise<void> {
  await response.body?.cancel();
  const size = /^bytes \*\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1];
  if (size !== undefined && Number(size) === offset) return;
  await rm(partial, { force: true });
  throw new ModelFetchError(`${what}: server refused the resume range; restarting`, { status: 416, retriable: true });
}

function announcedTotal(response: Response, start: number): number | undefined {
  const rangeTotal = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1];
  if (rangeTotal !== undefined) return Number(rangeTotal);
  const length = response.headers.get('content-length');
  return length === null ? undefined : start + Number(length);
}

/** Each chunk is written before the next is read, so after a cut-off the file holds exactly what arrived. */
async function appendBody(
  response: Response,
  partial: string,
  start: number,
  onBytes: (received: number) => void,
): Promise<void> {
  const handle = await open(partial, start === 0 ? 'w' : 'a');
  let received = start;
  try {
    onBytes(received);
    if (response.body === null) return;
    for await (const chunk of response.body) {
      await handle.write(chunk);
      received += chunk.length;
      onBytes(received);
    }
  } finally {
    await handle.close();
  }
}
