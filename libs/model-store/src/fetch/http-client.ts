import type { HttpSettings } from '../model-store.options.js';
import { ModelFetchError } from '../model-store.errors.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

export interface HttpGetOptions {
  /** Bearer token for the origin of `url` only. */
  readonly token?: string | undefined;
  readonly headers?: Record<string, string>;
  readonly signal: AbortSignal;
}

/**
 * GET that follows redirects itself so that the Authorization header is sent only to the origin
 * the token belongs to: the hub redirects LFS files to a CDN, which must never see the token.
 * Returns the final response whatever its status.
 */
export async function httpGet(url: string, options: HttpGetOptions, settings: HttpSettings): Promise<Response> {
  const tokenOrigin = new URL(url).origin;
  let current = new URL(url);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const withToken = options.token !== undefined && current.origin === tokenOrigin;
    const headers = {
      'User-Agent': settings.userAgent,
      ...options.headers,
      ...(withToken ? { Authorization: `Bearer ${options.token}` } : {}),
    };
    const response = await fetch(current, { headers, redirect: 'manual', signal: options.signal });
    const location = response.headers.get('location');
    if (!REDIRECT_STATUSES.has(response.status) || location === null) return response;
    await response.body?.cancel();
    current = redirectTarget(current, location);
  }
  throw new ModelFetchError(`${url}: more than ${MAX_REDIRECTS} redirects`, { retriable: false });
}

function redirectTarget(from: URL, location: string): URL {
  const next = new URL(location, from);
  if (next.protocol !== 'https:' && next.protocol !== 'http:') {
    throw new ModelFetchError(`${from.href}: redirect to unsupported protocol ${next.protocol}`, { retriable: false });
  }
  return next;
}
