import { Logger } from '@nestjs/common';
import type { ModelDeployment } from '@focal/contracts';
import { isApiError } from './model-deployment-api.error.js';
import type { ModelDeploymentClient, ModelDeploymentEvent, ModelDeploymentWatch } from './model-deployment.client.js';

/** A watch that the server ends sooner than this after it started is retried after a pause, not at once. */
const MIN_WATCH_LIFETIME_MS = 1000;

interface WatchAttempt {
  started: number;
  /** Unset until the connection is made; onEnd can run before that. */
  watch?: ModelDeploymentWatch;
}

interface Signal {
  promise: Promise<void>;
  resolve: () => void;
}

function signal(): Signal {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** resourceVersions are opaque, but every API server issues them as increasing integers (etcd revisions). */
function isOlder(candidate: ModelDeployment, current: ModelDeployment): boolean {
  const a = candidate.metadata.resourceVersion ?? '';
  const b = current.metadata.resourceVersion ?? '';
  return /^\d+$/.test(a) && /^\d+$/.test(b) && BigInt(a) < BigInt(b);
}

/**
 * The namespace's ModelDeployments, kept current by list + watch (client-go's reflector), so that
 * status reads cost no API call per inference request and a user's `kubectl scale md x --replicas=0`
 * shows within a watch event. While the watch is down, reads go to the API server directly rather
 * than serve a copy nobody keeps current.
 */
export class ModelDeploymentCache {
  private readonly logger = new Logger('ModelDeploymentCache');
  private objects = new Map<string, ModelDeployment>();
  private resourceVersion = '';
  private synced = false;
  private running = false;
  private attempt?: WatchAttempt;
  private syncing?: Promise<void>;
  private retryTimer?: NodeJS.Timeout;
  private change = signal();

  constructor(
    private readonly client: ModelDeploymentClient,
    private readonly retryMs: number,
  ) {}

  /** Resolves after the first list attempt. Never rejects: the API boots even while the cluster's API is away. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.sync();
  }

  stop(): void {
    this.running = false;
    this.synced = false;
    clearTimeout(this.retryTimer);
    this.attempt?.watch?.stop();
    this.attempt = undefined;
  }

  /** True while reads come from the watched copy. */
  get isSynced(): boolean {
    return this.synced;
  }

  async list(): Promise<ModelDeployment[]> {
    if (this.synced) return [...this.objects.values()];
    return (await this.client.list()).items;
  }

  async get(name: string): Promise<ModelDeployment | undefined> {
    if (this.synced) return this.objects.get(name);
    return this.client.get(name);
  }

  /** A write's response, so a read right after the write sees it even before its watch event arrives. */
  record(object: ModelDeployment): void {
    if (!this.synced) return;
    this.upsert(object);
    this.notify();
  }

  /** Resolves at the next change to any ModelDeployment, or the next resync. */
  changed(): Promise<void> {
    return this.change.promise;
  }

  private sync(): Promise<void> {
    this.syncing ??= this.listAndWatch().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async listAndWatch(): Promise<void> {
    if (!this.running) return;
    try {
      const { items, resourceVersion } = await this.client.list();
      if (!this.running) return;
      this.objects = new Map(items.map((object) => [object.metadata.name ?? '', object]));
      this.resourceVersion = resourceVersion;
      if (!this.synced) this.logger.log({ msg: 'watching ModelDeployments', namespace: this.client.namespace });
      this.synced = true;
      this.notify();
      await this.startWatch();
    } catch (error) {
      this.fail(error);
    }
  }

  private async startWatch(): Promise<void> {
    if (!this.running) return;
    const attempt: WatchAttempt = { started: Date.now() };
    this.attempt = attempt;
    attempt.watch = await this.client.watch(
      this.resourceVersion,
      (event) => this.onEvent(event),
      (error) => this.onEnd(attempt, error),
    );
    // stop() may have run while the watch was connecting.
    if (!this.running) attempt.watch.stop();
  }

  private onEvent(event: ModelDeploymentEvent): void {
    if (event.type === 'BOOKMARK') {
      this.resourceVersion = event.resourceVersion;
      return;
    }
    const { object } = event;
    this.resourceVersion = object.metadata.resourceVersion ?? this.resourceVersion;
    if (event.type === 'DELETED') this.objects.delete(object.metadata.name ?? '');
    else this.upsert(object);
    this.notify();
  }

  private onEnd(attempt: WatchAttempt, error: Error | null): void {
    if (!this.running || this.attempt !== attempt) return;
    if (error === null) {
      // The server ends every watch at its timeout: resume from the last version seen. A server that
      // ends them at once would otherwise be asked again in a tight loop.
      if (Date.now() - attempt.started < MIN_WATCH_LIFETIME_MS) this.retryLater(() => this.resumeWatch());
      else void this.resumeWatch();
    } else if (isApiError(error, 410)) {
      // History was compacted past our version: list again. The copy stays readable meanwhile; it is
      // at most one list call behind.
      void this.sync();
    } else {
      this.fail(error);
    }
  }

  private async resumeWatch(): Promise<void> {
    try {
      await this.startWatch();
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    if (!this.running) return;
    if (this.synced) {
      this.logger.warn({
        msg: 'ModelDeployment watch failed; reading through until it is back',
        reason: String(error),
      });
    }
    this.synced = false;
    this.retryLater(() => this.sync());
  }

  private retryLater(action: () => Promise<void>): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void action(), this.retryMs);
    this.retryTimer.unref();
  }

  private upsert(object: ModelDeployment): void {
    const name = object.metadata.name ?? '';
    const current = this.objects.get(name);
    // A write's response can be newer than a watch event still in flight; never step back to the older one.
    if (current && isOlder(object, current)) return;
    this.objects.set(name, object);
  }

  private notify(): void {
    const current = this.change;
    this.change = signal();
    current.resolve();
  }
}
