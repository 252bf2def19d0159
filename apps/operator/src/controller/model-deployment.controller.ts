import type { ModelDeployment } from '@focal/contracts';
import type { ModelDeploymentApi, ResourceWatch, WatchFactory } from '../cluster/cluster.ports.js';
import type { ObjectMeta } from '../cluster/kube-objects.js';
import { MANAGED_SELECTOR, ownerKeyOf, podOwnerKeyOf } from '../builders/model-workload.names.js';
import { errorMessage, type OperatorLog } from '../common/operator-log.js';
import type { LeadershipGate } from '../leader/leadership.gate.js';
import type { OperatorMetrics } from '../observability/operator.metrics.js';
import { KeyQueue, type QueueTimers } from './key.queue.js';
import type { ModelDeploymentReconciler } from './model-deployment.reconciler.js';
import { objectKey } from './object-key.js';

export interface ControllerOptions {
  /** The namespace to watch, or undefined for all of them. */
  namespace: string | undefined;
  workers: number;
  /** 0 turns periodic resync off. */
  resyncPeriodMs: number;
  backoff: { baseMs: number; maxMs: number };
  /** How long a draining stop waits for queued keys before it drops them. */
  drainTimeoutMs: number;
  timers?: QueueTimers;
  /** Whether this process may write now: the LeaderElector, or ALWAYS_LEADING without leader election. */
  gate: LeadershipGate;
}

interface Running {
  queue: KeyQueue;
  watches: Array<ResourceWatch<{ metadata?: ObjectMeta }>>;
  workers: Promise<void>[];
  resync?: NodeJS.Timeout;
}

/**
 * Turns watch events into queued keys and runs the reconcile workers: ModelDeployment events queue
 * the resource's own key, events on managed Deployments and Services queue their controlling
 * ModelDeployment's key, and events on model pods the key their instance label names. Each start builds fresh watches and a fresh queue, so the controller can
 * stop when leadership is lost and start again when it is regained.
 */
export class ModelDeploymentController {
  private running?: Running;

  constructor(
    private readonly watches: WatchFactory,
    private readonly modelDeployments: ModelDeploymentApi,
    private readonly reconciler: ModelDeploymentReconciler,
    private readonly metrics: OperatorMetrics,
    private readonly log: OperatorLog,
    private readonly options: ControllerOptions,
  ) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const queue = new KeyQueue({
      baseDelayMs: this.options.backoff.baseMs,
      maxDelayMs: this.options.backoff.maxMs,
      ...(this.options.timers ? { timers: this.options.timers } : {}),
    });
    const scope = { namespace: this.options.namespace };
    const modelDeployments = this.watches.modelDeployments(scope);
    modelDeployments.onEvent((_type, md: ModelDeployment) =>
      queue.add(objectKey(md.metadata.namespace ?? '', md.metadata.name ?? '')),
    );
    const children = [
      this.watches.deployments(scope, MANAGED_SELECTOR),
      this.watches.services(scope, MANAGED_SELECTOR),
    ];
    for (const watch of children) {
      watch.onEvent((_type, child) => {
        const key = ownerKeyOf(child.metadata);
        if (key) queue.add(key);
      });
    }
    // Pod status (scheduling, init containers, image pulls, crashes) is what explains a model that
    // does not become ready; the Deployment's counts alone cannot say why.
    const pods = this.watches.pods(scope, MANAGED_SELECTOR);
    pods.onEvent((_type, pod) => {
      const key = podOwnerKeyOf(pod.metadata);
      if (key) queue.add(key);
    });
    const watches = [modelDeployments, ...children, pods] as Running['watches'];
    for (const [index, watch] of watches.entries()) {
      const resource = ['ModelDeployments', 'Deployments', 'Services', 'Pods'][index];
      watch.onError((error) => this.log.warn({ msg: 'watch failed, retrying', resource, error: errorMessage(error) }));
    }
    const running: Running = { queue, watches, workers: [] };
    this.running = running;
    this.metrics.setQueueDepthSource(() => queue.length);
    running.workers = Array.from({ length: this.options.workers }, () => this.work(queue));
    await Promise.all(watches.map((watch) => watch.start()));
    if (this.options.resyncPeriodMs > 0) {
      running.resync = setInterval(() => void this.resync(queue), this.options.resyncPeriodMs);
    }
    this.log.log({
      msg: 'controller started',
      namespace: this.options.namespace ?? '*',
      workers: this.options.workers,
    });
  }

  /**
   * Stops watching, then either drains the keys already queued (graceful shutdown, while the
   * Lease is still held) or drops them (leadership lost: the new leader will see them), and waits
   * for the passes in flight.
   */
  async stop(options: { drain: boolean }): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    clearInterval(running.resync);
    await Promise.all(running.watches.map((watch) => watch.stop()));
    running.queue.shutDown({ discard: !options.drain });
    const drained = await settlesWithin(Promise.all(running.workers), this.options.drainTimeoutMs);
    if (!drained) {
      this.log.warn({ msg: 'drain timed out; dropping queued keys', waiting: running.queue.length });
      running.queue.shutDown({ discard: true });
    }
    this.metrics.setQueueDepthSource(() => 0);
    this.log.log({ msg: 'controller stopped', drained });
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
      const endTimer = this.metrics.reconcileDuration.startTimer();
      try {
        const result = await this.reconciler.reconcile(key);
        queue.forget(key);
        endTimer({ result: 'success' });
        this.metrics.reconciles.inc({ result: 'success' });
        this.log.debug({ msg: 'reconciled', key, ...result });
      } catch (error) {
        const retryInMs = queue.retry(key);
        endTimer({ result: 'error' });
        this.metrics.reconciles.inc({ result: 'error' });
        this.metrics.reconcileErrors.inc();
        this.log.warn({
          msg: 'reconcile failed',
          key,
          failures: queue.failuresOf(key),
          retry_in_ms: queue.isShuttingDown ? null : retryInMs,
          error: errorMessage(error),
        });
      } finally {
        queue.done(key);
      }
    }
  }

  /** Queues every ModelDeployment again, read from the API: repairs drift that no watch event reported. */
  private async resync(queue: KeyQueue): Promise<void> {
    try {
      const items = await this.modelDeployments.listModelDeployments(this.options.namespace);
      for (const md of items) queue.add(objectKey(md.metadata.namespace ?? '', md.metadata.name ?? ''));
    } catch (error) {
      this.log.warn({ msg: 'resync failed', error: errorMessage(error) });
    }
  }
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
