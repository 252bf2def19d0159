import type { KubeObject, OwnerReference } from './kube-object.js';
import type { ObjectStore } from './object.store.js';

export type DependentDeleter = (storageKey: string, namespace: string | undefined, name: string) => void;

/**
 * The garbage collector controller, run synchronously on delete. A dependent whose owners are all
 * gone is deleted (which cascades to its own dependents); one that still has a live owner only
 * loses the dangling reference, as the real collector patches it.
 */
export class GarbageCollector {
  constructor(
    private readonly store: ObjectStore,
    private readonly deleteDependent: DependentDeleter,
  ) {}

  collect(ownerUid: string): void {
    for (const { storageKey, object } of this.store.dependentsOf(ownerUid)) {
      const live = (object.metadata.ownerReferences ?? []).filter(
        (ref) => ref.uid !== ownerUid && this.store.existsWithUid(ref.uid),
      );
      if (live.length === 0) this.deleteDependent(storageKey, object.metadata.namespace, object.metadata.name ?? '');
      else this.store.replace(storageKey, withOwners(object, live));
    }
  }

  /**
   * A dependent created after all its owners were deleted (a controller's create racing the owner's
   * deletion): the real collector finds it dangling and deletes it. Done on the next turn of the
   * event loop, so the creator still gets its 201, as with the real, asynchronous collector.
   */
  collectIfDangling(storageKey: string, object: KubeObject): void {
    const owners = object.metadata.ownerReferences ?? [];
    if (owners.length === 0) return;
    setImmediate(() => {
      const current = this.store.get(storageKey, object.metadata.namespace, object.metadata.name ?? '');
      if (!current || current.metadata.uid !== object.metadata.uid) return;
      const refs = current.metadata.ownerReferences ?? [];
      if (refs.length > 0 && !refs.some((ref) => this.store.existsWithUid(ref.uid))) {
        this.deleteDependent(storageKey, current.metadata.namespace, current.metadata.name ?? '');
      }
    });
  }

  /** propagationPolicy=Orphan: dependents survive and lose their reference to the owner. */
  orphan(ownerUid: string): void {
    for (const { storageKey, object } of this.store.dependentsOf(ownerUid)) {
      const remaining = (object.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== ownerUid);
      this.store.replace(storageKey, withOwners(object, remaining));
    }
  }
}

function withOwners(object: KubeObject, owners: OwnerReference[]): KubeObject {
  const next = structuredClone(object);
  if (owners.length > 0) next.metadata.ownerReferences = owners;
  else delete next.metadata.ownerReferences;
  return next;
}
