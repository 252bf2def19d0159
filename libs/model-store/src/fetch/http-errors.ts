import { ModelAccessError, ModelFetchError, ModelNotFoundError, ModelStoreError } from '../model-store.errors.js';
import type { IdleTimeout } from './idle-timeout.js';

/** What the hub's `X-Error-Code` header says a 404 was about. */
const NOT_FOUND_CODES: Record<string, string> = {
  RepoNotFound: 'repository not found',
  RevisionNotFound: 'revision not found',
  EntryNotFound: 'file not found',
};

export interface FailureContext {
  /** What was being fetched, e.g. `hf://org/name@main` or `hf://org/name@main: onnx/model.onnx`. */
  readonly what: string;
  /** Advice for 401/403, e.g. about HF_TOKEN. */
  readonly accessHint: string;
}

/** Turns a non-success response into a typed error, releasing its body. */
export async function errorFromResponse(response: Response, context: FailureContext): Promise<ModelStoreError> {
  await response.body?.cancel();
  const status = response.status;
  const detail = response.headers.get('x-error-message');
  const suffix = detail === null ? '' : ` (${detail})`;
  if (status === 401 || status === 403) {
    return new ModelAccessError(`${context.what}: HTTP ${status}${suffix}. ${context.accessHint}`, status);
  }
  if (status === 404) {
    const reason = NOT_FOUND_CODES[response.headers.get('x-error-code') ?? ''] ?? 'not found';
    return new ModelNotFoundError(`${context.what}: ${reason} (HTTP 404)${suffix}`);
  }
  const retriable = status === 408 || status === 429 || status >= 500;
  return new ModelFetchError(`${context.what}: HTTP ${status}${suffix}`, { status, retriable });
}

/**
 * Classifies what a fetch or body read threw. A caller's abort propagates untouched;
 * idle timeouts and network failures become retriable ModelFetchErrors.
 */
export function asFetchFailure(
  error: unknown,
  what: string,
  idle: IdleTimeout,
  signal: AbortSignal | undefined,
): unknown {
  if (signal?.aborted) return signal.reason;
  if (error instanceof ModelStoreError) return error;
  if (idle.timedOut)
    return new ModelFetchError(`${what}: no data for ${idle.ms} ms`, { retriable: true }, { cause: error });
  return new ModelFetchError(`${what}: ${describeNetworkError(error)}`, { retriable: true }, { cause: error });
}

/** Duck-typed, because fetch's errors may come from another realm (as under Jest) and fail `instanceof Error`. */
function describeNetworkError(error: unknown): string {
  const { message, cause } = (error ?? {}) as { message?: unknown; cause?: { code?: unknown; message?: unknown } };
  const detail = cause?.code ?? cause?.message;
  const text = typeof message === 'string' ? message : String(error);
  return detail === undefined ? text : `${text}: ${String(detail)}`;
}

/**
 * The source could not be reached or is failing (network, timeout, 5xx, 429): callers may serve
 * a cached copy instead, as huggingface_hub does. Refusals (401/403/404) never fall back.
 */
export function isSourceUnavailable(error: unknown): boolean {
  return error instanceof ModelFetchError && error.retriable;
}
