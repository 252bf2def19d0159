import sharp from 'sharp';
import { launchFocalApi } from '@focal/testing';
import { type FocalApi, tempCacheDir, testRedisUrl } from '../../support/focal-api.process.js';
import { request as httpRequest } from 'node:http';
import { parseNpyFloat32 } from './npy.parser.js';

export type { FocalApi } from '../../support/focal-api.process.js';

/**
 * The real API on the local runtime (child processes, HTTP) serving fixture model folders, with the
 * test-only FOCAL_DEBUG_TENSORS hook on: every inference answer then carries the worker's graph feeds and
 * outputs (`debug.graph_calls`), which is how the tests read Focal's exact pixel_values.
 * `models` maps FOCAL_MODEL_* variables to absolute folders, e.g. { FOCAL_MODEL_DINOV3: fixture.modelDir }.
 */
export function startReferenceApi(models: Record<string, string>, env: Record<string, string> = {}): Promise<FocalApi> {
  return launchFocalApi({
    redisUrl: testRedisUrl(),
    label: 'reference',
    env: {
      HF_ROOT_FOLDER: tempCacheDir(),
      FOCAL_DEBUG_TENSORS: 'true',
      FOCAL_MAX_BATCH_DELAY_MS: '0',
      ...models,
      ...env,
    },
    timeoutMs: 60_000,
    // A start that dies before it is healthy (e.g. dist/ being rebuilt by a parallel build) is retried.
    attempts: 3,
  });
}

export interface DebugTensor {
  dtype: string;
  dims: number[];
  data: string;
}

export interface GraphCall {
  graph: string;
  inputs: Record<string, DebugTensor>;
  outputs: Record<string, DebugTensor>;
}

/** The graph calls of one answer, in call order; fails loudly when the debug hook is off. */
export function graphCalls(body: any): GraphCall[] {
  const calls = body?.debug?.graph_calls;
  if (!Array.isArray(calls))
    throw new Error(`no debug.graph_calls in the answer: ${JSON.stringify(body).slice(0, 300)}`);
  return calls as GraphCall[];
}

export function debugFloat32(tensor: DebugTensor): Float32Array {
  if (tensor.dtype !== 'float32') throw new Error(`expected a float32 tensor, got ${tensor.dtype}`);
  const bytes = Buffer.from(tensor.data, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/**
 * POST /inference/<route> on a fresh connection. The answers carry tens of MB of debug tensors and the
 * tests then compare for seconds, longer than the server's keep-alive timeout, so a pooled connection
 * (fetch's) may be closed under the next request ("other side closed"): one connection per request avoids it.
 */
export async function infer(api: FocalApi, route: string, body: Record<string, unknown>): Promise<any> {
  const { status, text } = await postOnFreshConnection(`${api.url}/inference/${route}`, JSON.stringify(body));
  if (status !== 200) throw new Error(`POST /inference/${route} answered ${status}: ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

function postOnFreshConnection(url: string, payload: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** A 16-bit grayscale PNG (base64) as its levels, decoded by libpng through sharp. */
export async function png16Levels(base64: string): Promise<{ levels: Uint16Array; width: number; height: number }> {
  const { data, info } = await sharp(Buffer.from(base64, 'base64'))
    .toColourspace('grey16')
    .raw({ depth: 'ushort' })
    .toBuffer({ resolveWithObject: true });
  return {
    levels: new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2),
    width: info.width,
    height: info.height,
  };
}

/** A float32 .npy (base64) from the API's `npy_data`. */
export function npyFloat32(base64: string): { data: Float32Array; shape: number[] } {
  return parseNpyFloat32(Buffer.from(base64, 'base64'), 'npy_data');
}
