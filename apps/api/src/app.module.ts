import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { ApiConfig } from '@focal/config';
import { MetricsRegistry } from '@focal/platform';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { API_CONFIG } from './config/api-config.token.js';
import { HealthController } from './health/health.controller.js';
import { HealthService } from './health/health.service.js';
import { GuardedHttpFetcher } from './images/guarded-http.fetcher.js';
import { ImageResolverService } from './images/image-resolver.service.js';
import { URL_FETCHER } from './images/url.fetcher.js';
import { InferenceController } from './inference/inference.controller.js';
import { InferenceService } from './inference/inference.service.js';
import { AdmissionControl } from './inference/admission.control.js';
import { WorkerFailover } from './inference/worker.failover.js';
import { BullJobQueue, INFERENCE_QUEUE } from './jobs/bull-job.queue.js';
import { InferenceJobProcessor } from './jobs/inference-job.processor.js';
import { JOB_QUEUE } from './jobs/job.queue.js';
import { JobsController } from './jobs/jobs.controller.js';
import { JobsService } from './jobs/jobs.service.js';
import { QueueMetricsBinder } from './jobs/queue-metrics.binder.js';
import { ApiMetrics } from './metrics/api.metrics.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { IdleUnloadScheduler } from './models/idle-unload.scheduler.js';
import { LoadTimeEstimator } from './models/load-time.estimator.js';
import { ModelActivityTracker } from './models/model-activity.tracker.js';
import { ModelManagerService } from './models/model-manager.service.js';
import { ModelsController } from './models/models.controller.js';
import { PlaygroundModule } from './playground/playground.module.js';
import { runtimeProviders } from './runtime/runtime.providers.js';

@Module({})
export class AppModule {
  static forRoot(config: ApiConfig, metrics: MetricsRegistry): DynamicModule {
    const { jobs } = config;
    return {
      module: AppModule,
      imports: [
        BullModule.forRoot({
          url: jobs.redisUrl,
          prefix: jobs.queuePrefix,
          settings: { lockDuration: jobs.lockMs, stalledInterval: jobs.lockMs, maxStalledCount: 3 },
        }),
        BullModule.registerQueue({ name: INFERENCE_QUEUE }),
        PlaygroundModule.forRoot(config.playgroundDir),
      ],
      controllers: [HealthController, ModelsController, InferenceController, JobsController, MetricsController],
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: MetricsRegistry, useValue: metrics },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: URL_FETCHER, useClass: GuardedHttpFetcher },
        { provide: JOB_QUEUE, useClass: BullJobQueue },
        ...runtimeProviders(config),
        ApiMetrics,
        ModelManagerService,
        ModelActivityTracker,
        LoadTimeEstimator,
        IdleUnloadScheduler,
        ImageResolverService,
        AdmissionControl,
        WorkerFailover,
        InferenceService,
        JobsService,
        InferenceJobProcessor,
        QueueMetricsBinder,
        HealthService,
      ],
    };
  }
}
