import type { KubeObject } from './kube-object.js';
import type { WatchHub } from './watch.hub.js';

interface Entry {
  storageKey: string;
  object: KubeObject;
}

/**
 * The fake etcd: objects by resource, namespace and name, and one global revision counter that
 * every write advances and stamps as metadata.resourceVersion. Every write is published to the
 * watch hub. Objects go in and out as copies so callers can never alias stored state.
 */
export class ObjectStore {
  private readonly entries = new Map<string, Entry>();
  private revision: number;

  constructor(
    private readonly hub: WatchHub,
    startRevision = 1,
  ) {
    this.revision = startRevision;
  }

  get resourceVersion(): number {
    return this.revision;
  }

  get(storageKey: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const entry = this.entries.get(keyOf(storageKey, namespace, name));
    return entry ? structuredClone(entry.object) : undefined;
  }

  /** All objects of a resource, in one namespace or (undefined) all of them, ordered by namespace and name. */
  list(storageKey: string, namespace?: string): KubeObject[] {
    return [...this.entries.values()]
      .filter(
        (e) => e.storageKey === storageKey && (namespace === undefined || e.object.metadata.namespace === namespace),
      )
      .map((e) => structuredClone(e.object))
      .sort((a, b) =>
        keyOf('', a.metadata.namespace, a.metadata.name ?? '').localeCompare(
          keyOf('', b.metadata.namespace, b.metadata.name ?? ''),
        ),
      );
  }

  /** Every object, of any resource, whose ownerReferences name this uid. */
  dependentsOf(ownerUid: string): Array<{ storageKey: string; object: KubeObject }> {
    return [...this.entries.values()]
      .filter((e) => (e.object.metadata.ownerReferences ?? []).some((ref) => ref.uid === ownerUid))
      .map((e) => ({ storageKey: e.storageKey, object: structuredClone(e.object) }));
  }

  existsWithUid(uid: string): boolean {
    return [...this.entries.values()].some((e) => e.object.metadata.uid === uid);
  }

  insert(storageKey: string, object: KubeObject): KubeObject {
    return this.write(storageKey, object, 'ADDED');
  }

  replace(storageKey: string, object: KubeObject): KubeObject {
    return this.write(storageKey, object, 'MODIFIED');
  }

  /** Removes an object; the DELETED event carries it stamped with the deletion's revision. */
  remove(storageKey: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const key = keyOf(storageKey, namespace, name);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    const object = this.stamp(entry.object);
    this.hub.publish({ type: 'DELETED', resourceVersion: this.revision, storageKey, object: structuredClone(object) });
    return object;
  }

  private write(storageKey: string, object: KubeObject, type: 'ADDED' | 'MODIFIED'): KubeObject {
    const key = keyOf(storageKey, object.metadata.namespace, object.metadata.name ?? '');
    const previous = this.entries.get(key)?.object;
    const stored = this.stamp(object);
    this.entries.set(key, { storageKey, object: stored });
    this.hub.publish({
      type,
      resourceVersion: this.revision,
      storageKey,
      object: structuredClone(stored),
      ...(previous ? { previous: structuredClone(previous) } : {}),
    });
    return structuredClone(stored);
  }

  private stamp(object: KubeObject): KubeObject {
    this.revision += 1;
    const copy = structuredClone(object);
    copy.metadata.resourceVersion = String(this.revision);
    return copy;
  }
}

function keyOf(storageKey: string, namespace: string | undefined, name: string): string {
  return `${storageKey}|${namespace ?? ''}|${name}`;
}
