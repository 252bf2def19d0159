import { DynamicModule, Module } from '@nestjs/common';
import type { InferenceConfig } from '@focal/config';
import { MetricsRegistry } from '@focal/platform';
import { InFlightCounter } from '@focal/vision';
import { WorkerController } from './http/worker.controller.js';
import { WorkerInferService } from './http/worker-infer.service.js';
import { ModelDirResolver } from './model/model-dir.resolver.js';
import { INFERENCE_CONFIG, ModelHostService } from './model/model-host.service.js';
import { createModelFetcher } from './model/model-store.fetcher.js';
import { WORKER_METRICS_REGISTRY, WorkerMetrics } from './model/worker.metrics.js';
import { OnnxSessionFactory } from './onnx/onnx-session.factory.js';

@Module({})
export class InferenceModule {
  static forRoot(config: InferenceConfig, metrics: MetricsRegistry): DynamicModule {
    return {
      module: InferenceModule,
      controllers: [WorkerController],
      providers: [
        { provide: INFERENCE_CONFIG, useValue: config },
        { provide: WORKER_METRICS_REGISTRY, useValue: metrics },
        {
          provide: ModelDirResolver,
          useFactory: () => new ModelDirResolver(config.hub.rootFolder, createModelFetcher(config)),
        },
        OnnxSessionFactory,
        WorkerMetrics,
        { provide: InFlightCounter, useValue: new InFlightCounter() },
        ModelHostService,
        WorkerInferService,
      ],
    };
  }
}
