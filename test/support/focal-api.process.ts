import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FocalApi, launchFocalApi } from '@focal/testing';

export { freePort, type FocalApi } from '@focal/testing';

/** Redis for tests: CI starts one on a private port and exports FOCAL_TEST_REDIS_URL. */
export function testRedisUrl(): string {
  return process.env.FOCAL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A cache folder shared by a test file's API processes, so demo models are generated once. */
export function tempCacheDir(): string {
  return mkdtempSync(join(tmpdir(), 'focal-test-cache-'));
}

/** The real API (`npm run build` first) on a free port, with its own queue prefix and, unless given, its own cache. */
export function startFocalApi(env: Record<string, string> = {}, timeoutMs = 30_000): Promise<FocalApi> {
  return launchFocalApi({
    redisUrl: testRedisUrl(),
    env: { HF_ROOT_FOLDER: env.HF_ROOT_FOLDER ?? tempCacheDir(), ...env },
    timeoutMs,
  });
}
