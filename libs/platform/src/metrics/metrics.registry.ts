import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * How often the event-loop delay is sampled (prom-client's default is every 10 ms). Each sample is a timer wake-up
 * of the main thread: at 10 ms an idle API or worker spent about 6 ms of CPU a second on them alone (measured,
 * BENCHMARKS.md, the 2026-12-04 reading), a per-process tax on every idle replica. At 100 ms a loop blocked for
 * longer than that still shows as a late sample, which is what the lag metrics are for.
 */
const EVENT_LOOP_SAMPLE_MS = 100;

/**
 * One Prometheus registry per process, with the HTTP metrics every Focal app exposes.
 * Apps add their own metrics through `registry`.
 */
export class MetricsRegistry {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status' | 'model'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status' | 'model'>;

  constructor(app: string) {
    this.registry.setDefaultLabels({ app });
    collectDefaultMetrics({
      register: this.registry,
      prefix: 'focal_',
      eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS,
    });
    const labelNames = ['method', 'route', 'status', 'model'] as const;
    this.httpRequests = new Counter({
      name: 'focal_http_requests_total',
      help: 'HTTP requests by route, status and model type.',
      labelNames,
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'focal_http_request_duration_seconds',
      help: 'HTTP request latency by route, status and model type.',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [this.registry],
    });
  }

  histogram<L extends string>(name: string, help: string, labelNames: L[], buckets?: number[]): Histogram<L> {
    return new Histogram({ name, help, labelNames, registers: [this.registry], ...(buckets ? { buckets } : {}) });
  }

  gauge<L extends string>(name: string, help: string, labelNames: L[], collect?: (g: Gauge<L>) => Promise<void>) {
    return new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      ...(collect
        ? {
            collect: async function (this: Gauge<L>) {
              await collect(this);
            },
          }
        : {}),
    });
  }

  counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }
}
