import type { HttpSettings } from '../model-store.options.js';
import { ModelFetchError } from '../model-store.errors.js';
import { httpGet } from './http-client.js';
import { asFetchFailure, errorFromResponse, type FailureContext } from './http-errors.js';
import { IdleTimeout } from './idle-timeout.js';
import { withRetries } from './retry.js';

export interface JsonResponse<T> {
  readonly body: T;
  readonly headers: Headers;
}

/** GETs and parses a JSON document, retrying transient failures. */
export async function getJson<T>(
  url: string,
  request: { token?: string | undefined; signal: AbortSignal | undefined; context: FailureContext },
  settings: HttpSettings,
): Promise<JsonResponse<T>> {
  return withRetries(() => getJsonOnce<T>(url, request, settings), { ...settings, signal: request.signal });
}

async function getJsonOnce<T>(
  url: string,
  request: { token?: string | undefined; signal: AbortSignal | undefined; context: FailureContext },
  settings: HttpSettings,
): Promise<JsonResponse<T>> {
  const idle = new IdleTimeout(settings.timeoutMs, request.signal);
  try {
    const response = await httpGet(
      url,
      { token: request.token, signal: idle.signal, headers: { Accept: 'application/json' } },
      settings,
    );
    if (!response.ok) throw await errorFromResponse(response, request.context);
    return { body: await parseJson<T>(response, request.context.what), headers: response.headers };
  } catch (error) {
    throw asFetchFailure(error, request.context.what, idle, request.signal);
  } finally {
    idle.clear();
  }
}

async function parseJson<T>(response: Response, what: string): Promise<T> {
  const text = await response.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ModelFetchError(`${what}: expected JSON, got ${JSON.stringify(text.slice(0, 80))}`, {
      status: response.status,
      retriable: false,
    });
  }
}
