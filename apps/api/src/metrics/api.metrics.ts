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
  private inFlight: Gauge<'model'> | undefined;
  /** Inference calls sent again after the worker serving them died (reset, 5xx, exit). */
  readonly inferenceFailovers: Counter<'model' | 'outcome'>;
  /** Requests refused by admission control: `queue_full` or `queue_timeout`. */
  readonly admissionRejections: Counter<'model' | 'reason'>;
  /** Refusals held because their connection came back before the last Retry-After ran out. */
  readonly admissionRefusalsHeld: Counter<'model'>;
  /** Time admitted requests waited for an in-flight slot (0 when one was free). */
  readonly admissionQueueSeconds: Histogram<'model' | 'source'>;
  private queueDepth: Gauge<'status'> | undefined;
  private admissionDepth: Gauge<'model' | 'state'> | undefined;

  constructor(readonly metrics: MetricsRegistry) {
    this.modelLoadSeconds = metrics.histogram(
      'focal_model_load_seconds',
      'Time from load request to ready, by model type and outcome.',
      ['model', 'outcome'],
      [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    );
    this.inferenceFailovers = metrics.counter(
      'focal_inference_failovers_total',
      'Inference calls retried on a fresh or another worker after theirs died, by outcome of the retry.',
      ['model', 'outcome'],
    );
    this.admissionRejections = metrics.counter(
      'focal_admission_rejections_total',
      'Inference requests answered 503 + Retry-After by admission control, by reason.',
      ['model', 'reason'],
    );
    this.admissionRefusalsHeld = metrics.counter(
      'focal_admission_refusals_held_total',
      'Refusals held before they were sent, because their connection came back before its last Retry-After ran out.',
      ['model'],
    );
    this.admissionQueueSeconds = metrics.histogram(
      'focal_admission_queue_seconds',
      'Time admitted inference requests waited for an in-flight slot, by source (request or job).',
      ['model', 'source'],
      [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
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

  /** Registers the admission gauge (waiting and in-flight requests per model), read at scrape time. */
  watchAdmission(depths: () => Record<string, { waiting: number; inflight: number }>): void {
    this.admissionDepth ??= this.metrics.gauge(
      'focal_admission_queue_depth',
      'Inference requests per model waiting for a slot, and in flight to its workers.',
      ['model', 'state'],
      async (gauge) => {
        gauge.reset();
        for (const [model, depth] of Object.entries(depths())) {
          gauge.set({ model, state: 'waiting' }, depth.waiting);
          gauge.set({ model, state: 'inflight' }, depth.inflight);
        }
      },
    );
  }
}
