import { Inject, Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@focal/platform';
import type { RunObserver } from '@focal/onnx-runtime';

export const WORKER_METRICS_REGISTRY = Symbol('WORKER_METRICS_REGISTRY');

/** The worker's own Prometheus metrics, beside the HTTP ones every app has. */
@Injectable()
export class WorkerMetrics implements RunObserver {
  private readonly runSeconds;
  private readonly batchSize;
  private readonly inferSeconds;
  private readonly loadSeconds;

  constructor(@Inject(WORKER_METRICS_REGISTRY) readonly metrics: MetricsRegistry) {
    this.runSeconds = metrics.histogram('focal_worker_session_run_seconds', 'session.run latency by graph.', ['graph']);
    this.batchSize = metrics.histogram(
      'focal_worker_batch_size',
      'Images per session.run.',
      ['graph'],
      [1, 2, 4, 8, 16, 32, 64],
    );
    this.inferSeconds = metrics.histogram('focal_worker_infer_seconds', 'Whole /v1/infer latency.', ['model']);
    this.loadSeconds = metrics.gauge('focal_worker_model_load_seconds', 'Seconds the model took to load and warm up.', [
      'model',
    ]);
  }

  onRun(graph: string, batchSize: number, seconds: number): void {
    this.runSeconds.observe({ graph }, seconds);
    this.batchSize.observe({ graph }, batchSize);
  }

  observeInfer(model: string, seconds: number): void {
    this.inferSeconds.observe({ model }, seconds);
  }

  observeLoad(model: string, seconds: number): void {
    this.loadSeconds.set({ model }, seconds);
  }
}
