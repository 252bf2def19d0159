import type { Counter, Gauge, Histogram } from 'prom-client';
import type { MetricsRegistry } from '@focal/platform';

export type ChildKind = 'Deployment' | 'Service';
export type ChildWrite = 'create' | 'update';

/** The operator's Prometheus metrics, on the process's MetricsRegistry (served at /metrics). */
export class OperatorMetrics {
  readonly reconciles: Counter<'result'>;
  readonly reconcileErrors: Counter<never>;
  readonly reconcileDuration: Histogram<'result'>;
  readonly childWrites: Counter<'kind' | 'action'>;
  readonly statusWrites: Counter<never>;
  readonly queueDepth: Gauge<never>;
  readonly leader: Gauge<never>;
  private depthSource: () => number = () => 0;

  constructor(registry: MetricsRegistry) {
    this.reconciles = registry.counter(
      'focal_operator_reconciles_total',
      'Reconciles of ModelDeployments by result (success or error).',
      ['result'],
    );
    this.reconcileErrors = registry.counter(
      'focal_operator_reconcile_errors_total',
      'Reconciles that failed and were queued again with backoff.',
      [],
    );
    this.reconcileDuration = registry.histogram(
      'focal_operator_reconcile_duration_seconds',
      'Time one reconcile of a ModelDeployment took, including API calls.',
      ['result'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    );
    this.childWrites = registry.counter(
      'focal_operator_child_writes_total',
      'Deployments and Services created or updated because their spec hash changed.',
      ['kind', 'action'],
    );
    this.statusWrites = registry.counter(
      'focal_operator_status_writes_total',
      'ModelDeployment status updates (written only when the status changed).',
      [],
    );
    this.queueDepth = registry.gauge(
      'focal_operator_queue_depth',
      'Keys waiting in the reconcile queue.',
      [],
      async (g) => {
        g.set(this.depthSource());
      },
    );
    this.leader = registry.gauge('focal_operator_leader', '1 while this process holds the leader Lease, else 0.', []);
    this.leader.set(0);
  }

  /** The running controller's queue; the gauge reads it at scrape time. */
  setQueueDepthSource(source: () => number): void {
    this.depthSource = source;
  }
}
