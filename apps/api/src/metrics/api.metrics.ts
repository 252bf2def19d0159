import { Injectable } from '@nestjs/common';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsRegistry } from '@focal/platform';

/** The API's own metrics, beside the HTTP ones every app has. */
@Injectable()
export class ApiMetrics {
  readonly modelLoadSeconds: Histogram<'model' | 'outcome'>;
  /** Successful loads by model type and the device they run on: the cold-start cost. */
  readonly modelLoadDuration: Histogram<'model' | 'device'>;
  /** Inference requests that waited for (or triggered) their model's load. */
  readonly coldStarts: Counter<'model' | 'device'>;
  /** Cold requests answered 503 + Retry-After because the load would outlast their `Prefer: wait`. */
  readonly coldStartDeferrals: Counter<'model' | 'device'>;
  readonly idleUnloads: Counter<'model'>;
  private queueDepth: Gauge<'status'> | undefined;
  private inFlight: Gauge<'model'> | undefined;

  constructor(readonly metrics: MetricsRegistry) {
    this.modelLoadSeconds = metrics.histogram(
      'focal_model_load_seconds',
      'Time from load request to ready, by model type and outcome.',
      ['model', 'outcome'],
      [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    );
    this.modelLoadDuration = metrics.histogram(
      'focal_model_load_duration_seconds',
      'Time from load start to ready of successful loads, by model type and device.',
      ['model', 'device'],
      [0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    );
    this.coldStarts = metrics.counter(
      'focal_model_cold_starts_total',
      'Inference requests that waited for (or triggered) the load of their model.',
      ['model', 'device'],
    );
    this.coldStartDeferrals = metrics.counter(
      'focal_model_cold_start_deferrals_total',
      'Cold inference requests answered 503 with Retry-After because the load outlasts their Prefer: wait.',
      ['model', 'device'],
    );
    this.idleUnloads = metrics.counter(
      'focal_model_idle_unloads_total',
      'Models unloaded after FOCAL_IDLE_UNLOAD_SECONDS without a request.',
      ['model'],
    );
  }

  /**
   * Registers the in-flight gauge (requests held for a load or being served, per model type), read at scrape
   * time. The operator's autoscaler sums it over every API pod.
   */
  watchInFlight(counts: () => Record<string, number>): void {
    this.inFlight ??= this.metrics.gauge(
      'focal_model_in_flight_requests',
      'Inference requests in flight in this API process (held for a load or being served), by model type.',
      ['model'],
      async (gauge) => {
        gauge.reset();
        for (const [model, value] of Object.entries(counts())) gauge.set({ model }, value);
      },
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
