import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ApiConfig } from '@focal/config';
import { MODEL_TYPES, ModelType, ModelUnavailableError, NotFoundError } from '@focal/contracts';
import { API_CONFIG } from '../config/api-config.token.js';
import { ApiMetrics } from '../metrics/api.metrics.js';
import {
  MODEL_RUNTIME,
  type ModelRuntime,
  type ModelSpec,
  type RuntimeModelStatus,
} from '../runtime/model-runtime.port.js';

export interface LoadRequest {
  modelId?: string;
  device?: ModelSpec['device'];
  wait: boolean;
}

const sameSpec = (status: RuntimeModelStatus, spec: ModelSpec) =>
  status.modelId === spec.modelId && status.requestedDevice === spec.device;

/**
 * Decides when models load: explicit loads, auto-load on first use, reload after a crash, preload.
 * Concurrent callers for one model type share a single in-flight load.
 */
@Injectable()
export class ModelManagerService {
  private readonly logger = new Logger('ModelManager');
  private readonly inflight = new Map<ModelType, { spec: ModelSpec; promise: Promise<RuntimeModelStatus> }>();

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(MODEL_RUNTIME) private readonly runtime: ModelRuntime,
    private readonly metrics: ApiMetrics,
  ) {}

  /** The model's status once it is ready, auto-loading it when allowed. */
  async ensureReady(type: ModelType): Promise<RuntimeModelStatus> {
    const current = await this.runtime.status(type);
    if (current.state === 'ready' && current.endpoint) return current;
    const pending = this.inflight.get(type);
    if (pending) return pending.promise;
    if (!this.config.autoLoad) {
      if (current.state === 'failed') throw new ModelUnavailableError(`Model ${type} failed: ${current.error}`);
      throw new NotFoundError(`Model ${type} not loaded. Call POST /models/load first (auto-load is off).`);
    }
    const spec = {
      modelId: current.modelId ?? this.config.defaultModels[type],
      device: current.requestedDevice ?? this.config.defaultDevice,
    };
    this.logger.log({
      msg: current.state === 'failed' ? 'reloading failed model' : 'auto-loading model',
      model_type: type,
      ...spec,
    });
    return this.startLoad(type, spec);
  }

  /** Loads (or reloads with another model id or device); resolves when ready unless `wait` is false. */
  async load(type: ModelType, request: LoadRequest): Promise<RuntimeModelStatus> {
    const spec: ModelSpec = {
      modelId: request.modelId ?? this.config.defaultModels[type],
      device: request.device ?? this.config.defaultDevice,
    };
    const current = await this.runtime.status(type);
    const pending = this.inflight.get(type);
    let promise: Promise<RuntimeModelStatus>;
    if (pending && sameSpec(current, spec)) promise = pending.promise;
    else if (current.state === 'ready' && sameSpec(current, spec)) return current;
    else promise = this.startLoad(type, spec, pending?.promise);
    if (request.wait) return promise;
    promise.catch(() => undefined);
    // The runtime may not have recorded the load yet; what the caller started is a load of this spec.
    const status = await this.runtime.status(type);
    if (status.state === 'loading' || status.state === 'ready') return status;
    return {
      ...status,
      state: 'loading',
      modelId: spec.modelId,
      requestedDevice: spec.device,
      replicas: 1,
      error: null,
    };
  }

  async unload(type: ModelType): Promise<boolean> {
    return this.runtime.unload(type);
  }

  async unloadAll(): Promise<ModelType[]> {
    const results = await Promise.all(MODEL_TYPES.map(async (type) => ((await this.unload(type)) ? [type] : [])));
    return results.flat();
  }

  async statusAll(): Promise<RuntimeModelStatus[]> {
    return Promise.all(MODEL_TYPES.map((type) => this.runtime.status(type)));
  }

  /** Loads the configured preload list at boot; failures are logged and left visible in status. */
  async preload(types: ModelType[]): Promise<void> {
    await Promise.all(
      types.map((type) =>
        this.load(type, { wait: true }).catch((error: Error) =>
          this.logger.error({ msg: 'preload failed', model_type: type, reason: error.message }),
        ),
      ),
    );
  }

  private startLoad(type: ModelType, spec: ModelSpec, after?: Promise<unknown>): Promise<RuntimeModelStatus> {
    const started = process.hrtime.bigint();
    const promise = (async () => {
      await after?.catch(() => undefined);
      return this.runtime.load(type, spec, this.config.loadTimeoutMs);
    })();
    const entry = { spec, promise };
    this.inflight.set(type, entry);
    const observe = (outcome: string) => {
      if (this.inflight.get(type) === entry) this.inflight.delete(type);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.modelLoadSeconds.observe({ model: type, outcome }, seconds);
    };
    promise.then(
      () => observe('ready'),
      () => observe('failed'),
    );
    return promise;
  }
}
