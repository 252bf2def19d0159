import type { Counter, Gauge } from 'prom-client';
import type { MetricsRegistry } from '@focal/platform';

/** The autoscaler's Prometheus metrics, beside the operator's (served at the operator's /metrics). */
export class AutoscalerMetrics {
  /** Per ModelDeployment (`namespace/name`): the replicas the last decision wanted. */
  readonly desiredReplicas: Gauge<'model_deployment'>;
  /** Per ModelDeployment: the summed in-flight load it was decided on, averaged over the window. */
  readonly inFlight: Gauge<'model_deployment'>;
  readonly scales: Counter<'reason'>;
  /** Scrapes of the API pods by outcome: `ok` (at least one answered) or `failed` (none did, or no list). */
  readonly scrapes: Counter<'outcome'>;

  constructor(registry: MetricsRegistry) {
    this.desiredReplicas = registry.gauge(
      'focal_operator_autoscaler_desired_replicas',
      'Replicas the autoscaler wants for a ModelDeployment.',
      ['model_deployment'],
    );
    this.inFlight = registry.gauge(
      'focal_operator_autoscaler_in_flight',
      'In-flight requests summed over the API pods for a ModelDeployment, averaged over the window.',
      ['model_deployment'],
    );
    this.scales = registry.counter(
      'focal_operator_autoscaler_scales_total',
      'Changes of spec.replicas by the autoscaler, by reason.',
      ['reason'],
    );
    this.scrapes = registry.counter(
      'focal_operator_autoscaler_scrapes_total',
      "Scrapes of the API pods' in-flight counts, by outcome.",
      ['outcome'],
    );
  }

  /** A ModelDeployment that left autoscaling (or was deleted) leaves the gauges. */
  forget(key: string): void {
    this.desiredReplicas.remove({ model_deployment: key });
    this.inFlight.remove({ model_deployment: key });
  }
}
