import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ApiConfig } from '@focal/config';
import {
  MODEL_TYPES,
  ModelType,
  ModelUnavailableError,
  NotFoundError,
  RetryLaterError,
  type Device,
} from '@focal/contracts';
import { API_CONFIG } from '../config/api-config.token.js';
import { ApiMetrics } from '../metrics/api.metrics.js';
import { LoadTimeEstimator } from './load-time.estimator.js';
import { ModelActivityTracker } from './model-activity.tracker.js';
import { modelRequestContext, type ModelRequestContext } from './model-request.context.js';
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

interface InflightLoad {
  spec: ModelSpec;
  promise: Promise<RuntimeModelStatus>;
  startedAt: number;
}

const secondsSince = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

const sameSpec = (status: RuntimeModelStatus, spec: ModelSpec) =>
  status.modelId === spec.modelId && status.requestedDevice === spec.device;

/**
 * Decides when models load: explicit loads, auto-load on first use, reload after a crash, preload.
 * Concurrent callers for one model type share a single in-flight load.
 */
@Injectable()
export class ModelManagerService {
  private readonly logger = new Logger('ModelManager');
  private readonly inflight = new Map<ModelType, InflightLoad>();
  /** When each model last became ready through this manager (epoch ms), for eviction protection. */
  private readonly readySince = new Map<ModelType, number>();

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(MODEL_RUNTIME) private readonly runtime: ModelRuntime,
    private readonly metrics: ApiMetrics,
    private readonly estimator: LoadTimeEstimator,
    private readonly activity: ModelActivityTracker,
  ) {}

  /**
   * The model's status once it is ready, auto-loading it when allowed. Inside an HTTP inference request
   * (a ModelRequestContext) a wait for the load marks the request cold, and a `Prefer: wait=N` shorter than
   * the expected remaining load time starts the load and throws RetryLaterError with that ETA instead.
   */
  async ensureReady(type: ModelType): Promise<RuntimeModelStatus> {
    this.activity.touch(type);
    const context = modelRequestContext.current();
    const current = await this.runtime.status(type);
    if (current.state === 'ready' && current.endpoint) {
      if (context?.preferWaitSeconds !== undefined) context.preferenceApplied = true;
      return current;
    }
    const load = this.inflight.get(type) ?? this.autoLoad(type, current);
    if (!context) return load.promise;
    return this.waitCold(type, load, context);
  }

  /** Whether a load of the model is under way in this process. */
  isLoading(type: ModelType): boolean {
    return this.inflight.has(type);
  }

  /** When the model last became ready through this process (epoch ms), if it did. */
  readyAt(type: ModelType): number | undefined {
    return this.readySince.get(type);
  }

  private async waitCold(type: ModelType, load: InflightLoad, context: ModelRequestContext) {
    context.coldStart = true;
    const device = load.spec.device;
    const wait = context.preferWaitSeconds;
    if (wait !== undefined) {
      context.preferenceApplied = true;
      const elapsed = (Date.now() - load.startedAt) / 1000;
      const eta = Math.max(0, this.estimator.expectedSeconds(type, device) - elapsed);
      if (eta > wait) {
        load.promise.catch(() => undefined);
        this.metrics.coldStartDeferrals.inc({ model: type, device });
        const seconds = Math.max(1, Math.ceil(eta));
        throw new RetryLaterError(
          `Model ${type} is loading (cold start): expected ready in about ${seconds} s, longer than ` +
            `Prefer: wait=${wait}. The load goes on; retry after ${seconds} s.`,
          seconds,
        );
      }
    }
    const started = process.hrtime.bigint();
    try {
      const ready = await load.promise;
      this.metrics.coldStarts.inc({ model: type, device: ready.device ?? device });
      return ready;
    } finally {
      context.loadWaitSeconds = secondsSince(started);
    }
  }

  private autoLoad(type: ModelType, current: RuntimeModelStatus): InflightLoad {
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
    this.startLoad(type, spec);
    return this.inflight.get(type) as InflightLoad;
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
    this.readySince.delete(type);
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
    const entry: InflightLoad = { spec, promise, startedAt: Date.now() };
    this.inflight.set(type, entry);
    const observe = (outcome: string) => {
      if (this.inflight.get(type) === entry) this.inflight.delete(type);
      const seconds = secondsSince(started);
      this.metrics.modelLoadSeconds.observe({ model: type, outcome }, seconds);
      return seconds;
    };
    promise.then(
      (status) => {
        const seconds = observe('ready');
        const device: Device = status.device ?? spec.device;
        this.metrics.modelLoadDuration.observe({ model: type, device }, seconds);
        // Admission compares with what was requested, which is what a later cold request will name.
        this.estimator.record(type, spec.device, seconds);
        this.readySince.set(type, Date.now());
        this.activity.touch(type);
      },
      () => observe('failed'),
    );
    return promise;
  }
}
