import type { FieldMatcher } from './field-selector.js';
import type { KubeObject } from './kube-object.js';
import { resourceVersionTooOld } from './kube-status.js';
import type { LabelMatcher } from './label-selector.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One committed write, as etcd would report it: the revision it created and the object before and after. */
export interface StoredEvent {
  type: WatchEventType;
  resourceVersion: number;
  storageKey: string;
  object: KubeObject;
  previous?: KubeObject;
}

export interface WatchFilter {
  storageKey: string;
  /** Undefined watches every namespace. */
  namespace?: string;
  labels: LabelMatcher;
  fields: FieldMatcher;
}

/** The receiving end of a watch: an HTTP stream, or an in-process listener such as the kubelet simulator. */
export interface WatchSubscriber {
  filter: WatchFilter;
  deliver(type: WatchEventType, object: KubeObject): void;
  bookmark(resourceVersion: number): void;
  /** Ends the watch from the server side; a client then re-watches from its last resourceVersion. */
  close(): void;
}

/**
 * Fans committed events out to watchers and keeps a bounded history, like the API server's watch
 * cache: a watch may resume from any revision still in the history, and older ones get 410.
 */
export class WatchHub {
  private readonly history: StoredEvent[] = [];
  private readonly subscribers = new Set<WatchSubscriber>();
  private readonly observers = new Set<(event: StoredEvent) => void>();
  /** Every event at or below this revision has been forgotten. */
  private compactedThrough = 0;

  constructor(private readonly historyLimit: number) {}

  publish(event: StoredEvent): void {
    this.history.push(event);
    while (this.history.length > this.historyLimit) this.forgetOldest();
    for (const subscriber of [...this.subscribers]) deliver(subscriber, event);
    for (const observer of [...this.observers]) observer(event);
  }

  /** In-process observers (the kubelet simulator) see every event and survive closeAll and compaction. */
  observe(observer: (event: StoredEvent) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** Replays the history after `fromVersion`, then follows live events; throws 410 if the history is too short. */
  subscribe(subscriber: WatchSubscriber, fromVersion?: number): () => void {
    if (fromVersion !== undefined) this.replay(subscriber, fromVersion);
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  /** Forgets all events up to a revision, as etcd compaction does. */
  compact(throughVersion: number): void {
    while (this.history.length > 0 && (this.history[0] as StoredEvent).resourceVersion <= throughVersion) {
      this.forgetOldest();
    }
    this.compactedThrough = Math.max(this.compactedThrough, throughVersion);
  }

  bookmark(resourceVersion: number): void {
    for (const subscriber of [...this.subscribers]) subscriber.bookmark(resourceVersion);
  }

  closeAll(): void {
    for (const subscriber of [...this.subscribers]) subscriber.close();
    this.subscribers.clear();
  }

  private replay(subscriber: WatchSubscriber, fromVersion: number): void {
    if (fromVersion < this.compactedThrough) throw resourceVersionTooOld(fromVersion, this.compactedThrough + 1);
    for (const event of this.history) if (event.resourceVersion > fromVersion) deliver(subscriber, event);
  }

  private forgetOldest(): void {
    const dropped = this.history.shift();
    if (dropped) this.compactedThrough = Math.max(this.compactedThrough, dropped.resourceVersion);
  }
}

/**
 * Filters an event for one watcher. With a label or field selector, an object that starts
 * matching arrives as ADDED and one that stops matching as DELETED, as from the real watch cache.
 */
function deliver(subscriber: WatchSubscriber, event: StoredEvent): void {
  const { filter } = subscriber;
  if (event.storageKey !== filter.storageKey) return;
  const visible = (object: KubeObject | undefined): boolean =>
    object !== undefined &&
    (filter.namespace === undefined || object.metadata.namespace === filter.namespace) &&
    filter.labels(object.metadata.labels) &&
    filter.fields(object);
  const now = visible(event.object);
  if (event.type !== 'MODIFIED') {
    if (now) subscriber.deliver(event.type, event.object);
    return;
  }
  const before = visible(event.previous);
  if (now) subscriber.deliver(before ? 'MODIFIED' : 'ADDED', event.object);
  else if (before) subscriber.deliver('DELETED', event.object);
}
