import { setTimeout as sleep } from 'node:timers/promises';
import { ModelFetchError } from '../model-store.errors.js';

export interface RetryPolicy {
  readonly maxRetries: number;
  readonly retryDelayMs: number;
  readonly signal: AbortSignal | undefined;
}

const MAX_DELAY_MS = 10_000;

/** Runs `attempt` again after retriable ModelFetchErrors, with exponential backoff. */
export async function withRetries<T>(attempt: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ModelFetchError && error.retriable) || retry >= policy.maxRetries) throw error;
      const delay = Math.min(MAX_DELAY_MS, policy.retryDelayMs * 2 ** retry);
      await sleep(delay, undefined, { signal: policy.signal });
    }
  }
}
