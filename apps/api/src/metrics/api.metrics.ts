import { Injectable } from '@nestjs/common';
import type { Gauge, Histogram } from 'prom-client';
import { MetricsRegistry } from '@focal/platform';

/** The API's own metrics, beside the HTTP ones every app has. */
@Injectable()
export class ApiMetrics {
  readonly modelLoadSeconds: Histogram<'model' | 'outcome'>;
  private queueDepth: Gauge<'status'> | undefined;

  constructor(readonly metrics: MetricsRegistry) {
    this.modelLoadSeconds = metrics.histogram(
      'focal_model_load_seconds',
      'Time from load request to ready, by model type and outcome.',
      ['model', 'outcome'],
      [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    );
  }

  /** Registers the queue-depth gauge, read from the queue at scrape time. */
  watchQueue(counts: () => Promise<Record<string, number>>): void {
    this.queueDepth ??= this.metrics.gauge('focal_job_queue_depth', 'Jobs by status.', ['status'], async (gauge) => {
      // An unreachable queue must not fail the whole scrape: the gauge is simply left out of this one.
      const current = await counts().catch(() => undefined);
      gauge.reset();
      for (const [status, value] of Object.entries(current ?? {})) gauge.set({ status }, value);
    });
  }
}
