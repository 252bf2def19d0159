import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { MetricsRegistry } from '@focal/platform';
import { errorMessage, type OperatorLog } from './common/operator-log.js';
import type { RunnableController } from './controller/controller.group.js';
import type { LeaderElector } from './leader/leader.elector.js';
import { OperatorHttpServer, type HealthSource } from './observability/operator-http.server.js';
import type { OperatorMetrics } from './observability/operator.metrics.js';

/**
 * The operator's lifecycle. Started, it serves health and metrics and either runs the controller
 * (no leader election) or stands by until it wins the Lease; only the leader runs the reconcile
 * workers, and a standby is ready all the same. On shutdown it drains the queue while still holding
 * the Lease, then releases it, then closes the HTTP server.
 */
export class OperatorRunner implements OnApplicationBootstrap, BeforeApplicationShutdown, HealthSource {
  private ready = false;
  private shuttingDown = false;
  private stopping?: Promise<void>;
  /** Controller starts and stops run one after another, in the order leadership changed. */
  private transitions: Promise<void> = Promise.resolve();
  private readonly http: OperatorHttpServer;

  constructor(
    private readonly controller: RunnableController,
    private readonly elector: LeaderElector | null,
    private readonly metrics: OperatorMetrics,
    registry: MetricsRegistry,
    httpAddress: { host: string; port: number },
    private readonly log: OperatorLog,
  ) {
    this.http = new OperatorHttpServer(registry, this, httpAddress, log);
  }

  /** The port /healthz, /readyz and /metrics are served on. */
  get httpPort(): number {
    return this.http.port;
  }

  isReady(): boolean {
    return this.ready;
  }

  describe(): Record<string, unknown> {
    return { leader: this.isLeader, controller: this.controller.isRunning ? 'running' : 'standby' };
  }

  get isLeader(): boolean {
    return this.elector ? this.elector.isLeader : true;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async start(): Promise<void> {
    await this.http.listen();
    if (this.elector) {
      this.elector.start({
        onStartedLeading: () =>
          void this.serially(async () => {
            if (this.shuttingDown) return;
            this.metrics.leader.set(1);
            await this.controller.start();
          }),
        onStoppedLeading: () =>
          void this.serially(async () => {
            this.metrics.leader.set(0);
            // Lost leadership: another process owns the queue now, so drop ours.
            await this.controller.stop({ drain: this.shuttingDown });
          }),
      });
    } else {
      this.metrics.leader.set(1);
      await this.controller.start();
    }
    this.ready = true;
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.ready = false;
    this.shuttingDown = true;
    this.log.log({ msg: 'shutting down: draining the queue' });
    await this.serially(() => this.controller.stop({ drain: true }));
    await this.elector?.stop();
    await this.transitions;
    this.metrics.leader.set(0);
    await this.http.close();
    this.log.log({ msg: 'operator stopped' });
  }

  private serially(step: () => Promise<void>): Promise<void> {
    this.transitions = this.transitions.then(step).catch((error: unknown) => {
      this.log.error({ msg: 'controller start/stop failed', error: errorMessage(error) });
    });
    return this.transitions;
  }
}
