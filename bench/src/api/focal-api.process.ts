import { type FocalApi, launchFocalApi } from '@focal/testing';

export interface ApiLaunchOptions {
  redisUrl: string;
  /** Model cache (HF_ROOT_FOLDER); demo models are generated here by the workers. */
  hfRoot: string;
  /** Extra FOCAL_* variables, e.g. FOCAL_MAX_BATCH_SIZE. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export type FocalApiProcess = FocalApi;

/**
 * Admission limits no bench load reaches, for benches that measure something else: the defaults follow
 * FOCAL_MAX_BATCH_SIZE (in flight = the batch size, queue = twice it), so an API with batch size 1 would shed
 * most of a concurrency-8 run.
 */
export const ADMISSION_OUT_OF_REACH = {
  FOCAL_MAX_INFLIGHT: '1024',
  FOCAL_MAX_QUEUE: '100000',
  FOCAL_QUEUE_TIMEOUT_MS: '3600000',
} as const;

/**
 * The real API for a benchmark: offline, on its own queue prefix. A start that dies before it is healthy
 * is retried: on a shared checkout another `npm run build` can be rewriting dist/ at that moment.
 */
export function startFocalApi(options: ApiLaunchOptions, attempts = 3): Promise<FocalApiProcess> {
  return launchFocalApi({
    redisUrl: options.redisUrl,
    env: { HF_ROOT_FOLDER: options.hfRoot, HF_HUB_OFFLINE: 'true', ...options.env },
    label: 'bench',
    timeoutMs: options.timeoutMs,
    attempts,
  });
}
