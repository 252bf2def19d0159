import { AsyncLocalStorage } from 'node:async_hooks';
import type { ModelType } from '@focal/contracts';

/**
 * What one HTTP inference request asked for and what happened to it on the way to its model. Set by
 * ModelRequestInterceptor around the handler; the model manager reads and fills it through
 * AsyncLocalStorage, so the inference path in between needs no extra parameters. Jobs run outside any
 * context: they never carry a `Prefer` and always wait for the load.
 */
export interface ModelRequestContext {
  modelType: ModelType;
  /** RFC 7240 `Prefer: wait=N`, when the client sent one. */
  preferWaitSeconds: number | undefined;
  /** The request had to wait for (or trigger) the model's load. */
  coldStart: boolean;
  /** Seconds this request waited for the load, when it was cold. */
  loadWaitSeconds: number | undefined;
  /** The `Prefer: wait` decided how the request was handled. */
  preferenceApplied: boolean;
}

const storage = new AsyncLocalStorage<ModelRequestContext>();

export const modelRequestContext = {
  run<T>(context: ModelRequestContext, work: () => T): T {
    return storage.run(context, work);
  },
  current(): ModelRequestContext | undefined {
    return storage.getStore();
  },
};
