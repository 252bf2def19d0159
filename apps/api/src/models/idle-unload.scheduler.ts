import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ApiConfig } from '@focal/config';
import { MODEL_TYPES, type ModelType } from '@focal/contracts';
import { API_CONFIG } from '../config/api-config.token.js';
import { ApiMetrics } from '../metrics/api.metrics.js';
import { MODEL_RUNTIME, type ModelRuntime } from '../runtime/model-runtime.port.js';
import { shouldUnloadIdle } from './idle-eviction.policy.js';
import { ModelActivityTracker } from './model-activity.tracker.js';
import { ModelManagerService } from './model-manager.service.js';

/**
 * Every quarter of the idle period, and at least once a second (at most 10 times a second): an unload comes at
 * most about a quarter period (or a second) after the model went idle.
 */
const checkIntervalMs = (idleSeconds: number) => Math.min(1_000, Math.max(100, (idleSeconds * 1000) / 4));

/**
 * Local runtime scale-to-zero: unloads a model (stops its worker) after FOCAL_IDLE_UNLOAD_SECONDS without a
 * request, except pinned and freshly loaded ones (`shouldUnloadIdle`). On Kubernetes the operator's autoscaler
 * does this through `spec.autoscaling.scaleDownDelaySeconds`, so the scheduler stays off there.
 */
@Injectable()
export class IdleUnloadScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('IdleUnload');
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(MODEL_RUNTIME) private readonly runtime: ModelRuntime,
    private readonly models: ModelManagerService,
    private readonly activity: ModelActivityTracker,
    private readonly metrics: ApiMetrics,
  ) {}

  onApplicationBootstrap(): void {
    const { idleUnloadSeconds } = this.config.elastic;
    if (idleUnloadSeconds <= 0 || this.runtime.kind !== 'local') return;
    this.timer = setInterval(() => void this.check(), checkIntervalMs(idleUnloadSeconds));
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One pass over every model type; a pass still running (an unload takes a while) skips the next tick. */
  async check(now = Date.now()): Promise<ModelType[]> {
    if (this.checking) return [];
    this.checking = true;
    try {
      const unloaded: ModelType[] = [];
      for (const type of MODEL_TYPES) if (await this.unloadIfIdle(type, now)) unloaded.push(type);
      return unloaded;
    } finally {
      this.checking = false;
    }
  }

  private async unloadIfIdle(type: ModelType, now: number): Promise<boolean> {
    const status = await this.runtime.status(type);
    const readyAt = this.models.readyAt(type);
    if (status.state !== 'ready' || readyAt === undefined || this.models.isLoading(type)) return false;
    const candidate = {
      pinned: this.config.elastic.pinPreloaded && this.config.preload.includes(type),
      inFlight: this.activity.inFlight(type),
      readyAt,
      lastUsedAt: this.activity.lastUsedAt(type),
    };
    if (!shouldUnloadIdle(candidate, this.config.elastic, now)) return false;
    const idleSeconds = (now - Math.max(readyAt, candidate.lastUsedAt ?? 0)) / 1000;
    this.logger.log({ msg: 'unloading idle model', model_type: type, idle_seconds: idleSeconds });
    await this.models.unload(type);
    this.metrics.idleUnloads.inc({ model: type });
    return true;
  }
}
