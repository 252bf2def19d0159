import type { ModelDeployment } from '@focal/contracts';
import type { ResourceWatch, WatchFactory } from '../cluster/cluster.ports.js';
import { errorMessage, type OperatorLog } from '../common/operator-log.js';
import type { RunnableController } from '../controller/controller.group.js';
import { KeyQueue } from '../controller/key.queue.js';
import { objectKey } from '../controller/object-key.js';
import type { LeadershipGate } from '../leader/leadership.gate.js';
import type { ApiLoadScraper, LoadSnapshot } from './api-load.scraper.js';
import type { AutoscalerMetrics } from './autoscaler.metrics.js';
import type { AutoscalerReconciler } from './autoscaler.reconciler.js';

export interface AutoscalerControllerOptions {
  namespace: string | undefined;
  intervalMs: number;
  backoff: { baseMs: number; maxMs: number };
  /** Whether this process may write now: the LeaderElector, or ALWAYS_LEADING without leader election. */
  gate: LeadershipGate;
}

interface Running {
  queue: KeyQueue;
  watch: ResourceWatch<ModelDeployment>;
  worker: Promise<void>;
  ticker: NodeJS.Timeout;
}

/**
 * Informer → key queue → reconcile(key) for autoscaling. A watch of ModelDeployments keeps the set of keys with
 * spec.autoscaling (and queues a key whose autoscaling changed or went away); every interval one scrape of the
 * API pods' in-flight counts is taken for all of them and each of their keys is queued. One worker: passes over
 * one key never overlap, and one scrape serves every ModelDeployment. Runs on the leader only, like the main
 * controller, so two operators never scale one model.
 */
export class AutoscalerController implements RunnableController {
  private running?: Running;
  private readonly autoscaled = new Set<string>();
  private snapshot?: LoadSnapshot;

  constructor(
    private readonly watches: WatchFactory,
    private readonly scraper: ApiLoadScraper,
    private readonly reconciler: AutoscalerReconciler,
    private readonly log: OperatorLog,
    private readonly options: AutoscalerControllerOptions,
    private readonly metrics?: AutoscalerMetrics,
  ) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** The newest scrape, read by the reconciler. */
  latestLoad(): LoadSnapshot | undefined {
    return this.snapshot;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.reconciler.reset();
    this.autoscaled.clear();
    this.snapshot = undefined;
    const queue = new KeyQueue({ baseDelayMs: this.options.backoff.baseMs, maxDelayMs: this.options.backoff.maxMs });
    const watch = this.watches.modelDeployments({ namespace: this.options.namespace });
    watch.onEvent((type, md) => this.observe(queue, type, md));
    watch.onError((error) =>
      this.log.warn({ msg: 'watch failed, retrying', resource: 'ModelDeployments', error: errorMessage(error) }),
    );
    const ticker = setInterval(() => void this.tick(queue), this.options.intervalMs);
    this.running = { queue, watch, worker: this.work(queue), ticker };
    await watch.start();
  }

  /** Queued decisions are dropped either way: the next leader (or start) decides from a fresh scrape. */
  async stop(_options?: { drain: boolean }): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    clearInterval(running.ticker);
    await running.watch.stop();
    running.queue.shutDown({ discard: true });
    await running.worker;
  }

  private observe(queue: KeyQueue, type: string, md: ModelDeployment): void {
    const key = objectKey(md.metadata.namespace ?? '', md.metadata.name ?? '');
    const wanted = type !== 'delete' && md.spec?.autoscaling !== undefined;
    const was = this.autoscaled.has(key);
    if (wanted) this.autoscaled.add(key);
    else this.autoscaled.delete(key);
    // Spec changes of an autoscaled model are decided at once; a model leaving autoscaling gets its status cleared.
    if (wanted || was) queue.add(key);
  }

  private async tick(queue: KeyQueue): Promise<void> {
    if (this.autoscaled.size === 0) return;
    try {
      this.snapshot = await this.scraper.scrape(Date.now());
      this.metrics?.scrapes.inc({ outcome: this.snapshot ? 'ok' : 'failed' });
      if (!this.snapshot) this.log.warn({ msg: 'no API pod answered the scrape; autoscaling holds' });
    } catch (error) {
      this.snapshot = undefined;
      this.metrics?.scrapes.inc({ outcome: 'failed' });
      this.log.warn({ msg: 'could not list API pods; autoscaling holds', error: errorMessage(error) });
    }
    for (const key of this.autoscaled) queue.add(key);
  }

  private async work(queue: KeyQueue): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      if (!this.options.gate.mayAct()) {
        // Not sure we still lead: the key waits, and is dropped with the queue if leadership turns out lost.
        queue.postpone(key, this.options.backoff.baseMs);
        continue;
      }
      try {
        const result = await this.reconciler.reconcile(key);
        queue.forget(key);
        this.log.debug({ msg: 'autoscaler reconciled', key, ...result });
      } catch (error) {
        const retryInMs = queue.retry(key);
        this.log.warn({ msg: 'autoscaling failed', key, retry_in_ms: retryInMs, error: errorMessage(error) });
      } finally {
        queue.done(key);
      }
    }
  }
}
