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
