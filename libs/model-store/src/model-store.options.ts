import { resolve } from 'node:path';

export const DEFAULT_HF_ENDPOINT = 'https://huggingface.co';

/** Everything the store needs, passed in by the caller: only libs/config reads the environment. */
export interface ModelStoreOptions {
  /**
   * Cache root, what HF_ROOT_FOLDER (or HF_HOME) names. Hub repos are cached under `<cacheDir>/hub`
   * in huggingface_hub's layout; plain URL downloads under `<cacheDir>/focal-urls`.
   */
  cacheDir: string;
  /** Hub endpoint (HF_ENDPOINT). Default https://huggingface.co. */
  endpoint?: string;
  /** Hub token (HF_TOKEN). Sent only to the endpoint's origin, never to CDNs or plain URLs. */
  token?: string;
  /** Serve from the cache only (HF_HUB_OFFLINE); a miss is an OfflineError. */
  offline?: boolean;
  /** Abort a request that has received no headers or body bytes for this long. Default 30 000 ms. */
  timeoutMs?: number;
  /** Retries of retriable failures (network, timeouts, 5xx, 429); downloads resume where they stopped. Default 3. */
  maxRetries?: number;
  /** Delay before the first retry, doubled for each further one. Default 500 ms. */
  retryDelayMs?: number;
  /** A download lock not refreshed for this long is taken to be left by a dead process. Default 30 000 ms. */
  lockStaleMs?: number;
  userAgent?: string;
}

export interface HttpSettings {
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly retryDelayMs: number;
  readonly userAgent: string;
}

export interface ResolvedModelStoreOptions extends HttpSettings {
  readonly cacheDir: string;
  readonly endpoint: string;
  readonly token: string | undefined;
  readonly offline: boolean;
  readonly lockStaleMs: number;
}

export function resolveStoreOptions(options: ModelStoreOptions): ResolvedModelStoreOptions {
  const endpoint = new URL(options.endpoint ?? DEFAULT_HF_ENDPOINT);
  if (endpoint.protocol !== 'https:' && endpoint.protocol !== 'http:') {
    throw new TypeError(`Hub endpoint must be http(s): ${endpoint.href}`);
  }
  return {
    cacheDir: resolve(options.cacheDir),
    endpoint: endpoint.href.replace(/\/+$/, ''),
    token: options.token === '' ? undefined : options.token,
    offline: options.offline ?? false,
    timeoutMs: options.timeoutMs ?? 30_000,
    maxRetries: options.maxRetries ?? 3,
    retryDelayMs: options.retryDelayMs ?? 500,
    // proper-lockfile refuses a stale time under 2 s.
    lockStaleMs: Math.max(2_000, options.lockStaleMs ?? 30_000),
    userAgent: options.userAgent ?? 'focal-model-store/0.1',
  };
}
