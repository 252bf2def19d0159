import { randomUUID } from 'node:crypto';
import { parseFieldSelector } from './field-selector.js';
import { GarbageCollector } from './garbage-collector.js';
import { isJsonObject, jsonEqual, kubeTimestamp, type KubeObject } from './kube-object.js';
import { alreadyExists, badRequest, conflict, invalid, KubeApiError, notFound, STALE_OBJECT } from './kube-status.js';
import { parseLabelSelector } from './label-selector.js';
import { writePath } from './object-path.js';
import { generatedName, validateObjectMeta } from './object-meta.validation.js';
import type { ObjectStore } from './object.store.js';
import { applyPatch } from './patch.applier.js';
import { apiVersionOf, type ResourceType } from './resource-type.js';
import { storageKeyOf, type ResourceRegistry } from './resource.registry.js';
import { readScaleWrite, scaleConfigOf, scaleOf, type Scale } from './scale.subresource.js';

export interface WriteOptions {
  /** fieldValidation=Strict: unknown fields are rejected instead of pruned. */
  strict?: boolean;
  /** Writes to `/status` change only status; main-resource writes keep the stored status. */
  subresource?: 'status';
}

export interface ListOptions {
  labelSelector?: string | null;
  fieldSelector?: string | null;
}

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface ObjectList {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion: string };
  items: KubeObject[];
}

/** `finished` is false when finalizers hold the object: it only got a deletionTimestamp. */
export interface DeleteResult {
  object: KubeObject;
  finished: boolean;
}

/**
 * The API server's write semantics over the object store, shared by the HTTP layer and by test
 * helpers: admission (defaults, pruning, validation), optimistic concurrency on resourceVersion,
 * generation, the status and scale subresources, finalizers and owner-reference garbage collection.
 */
export class ResourceOperations {
  private readonly gc: GarbageCollector;

  constructor(
    private readonly store: ObjectStore,
    private readonly registry: ResourceRegistry,
  ) {
    this.gc = new GarbageCollector(store, (storageKey, namespace, name) =>
      this.deleteDependent(storageKey, namespace, name),
    );
  }

  list(type: ResourceType, namespace: string | undefined, options: ListOptions = {}): ObjectList {
    const labels = parseLabelSelector(options.labelSelector);
    const fields = parseFieldSelector(options.fieldSelector);
    const items = this.store
      .list(storageKeyOf(type), namespace)
      .filter((object) => labels(object.metadata.labels) && fields(object));
    return {
      apiVersion: apiVersionOf(type),
      kind: type.listKind,
      metadata: { resourceVersion: String(this.store.resourceVersion) },
      items: type.custom ? items : items.map(withoutTypeMeta),
    };
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const object = this.store.get(storageKeyOf(type), namespace, name);
    if (!object) throw notFound(type, name);
    return object;
  }

  create(type: ResourceType, namespace: string | undefined, body: unknown, options: WriteOptions = {}): KubeObject {
    const object = toKubeObject(body);
    this.placeInNamespace(type, namespace, object);
    if (object.metadata.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    if (!object.metadata.name && object.metadata.generateName) {
      object.metadata.name = generatedName(object.metadata.generateName);
    }
    initializeForCreate(type, object);
    this.admit(type, object, options.strict ?? false);
    const name = object.metadata.name ?? '';
    if (this.store.get(storageKeyOf(type), namespace, name)) throw alreadyExists(type, name);
    const created = this.store.insert(storageKeyOf(type), object);
    this.gc.collectIfDangling(storageKeyOf(type), created);
    return created;
  }

  update(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    options: WriteOptions = {},
  ): KubeObject {
    const existing = this.get(type, namespace, name);
    const incoming = toKubeObject(body);
    this.placeInNamespace(type, namespace, incoming);
    if (incoming.metadata.name && incoming.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    checkResourceVersion(type, existing, incoming.metadata.resourceVersion);
    const next =
      options.subresource === 'status' ? withStatusOf(existing, incoming) : mainWrite(type, existing, incoming);
    return this.commit(type, existing, next, options.strict ?? false);
  }

  patch(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    contentType: string | undefined,
    patch: unknown,
    options: WriteOptions = {},
  ): KubeObject {
    const existing = this.get(type, namespace, name);
    const patched = toKubeObject(applyPatch(contentType, existing, patch));
    const requested = patched.metadata.resourceVersion;
    if (requested && requested !== existing.metadata.resourceVersion) throw conflict(type, name, STALE_OBJECT);
    patched.metadata.resourceVersion = existing.metadata.resourceVersion;
    return this.update(type, namespace, name, patched, options);
  }

  delete(type: ResourceType, namespace: string | undefined, name: string, options: DeleteOptions = {}): DeleteResult {
    const existing = this.get(type, namespace, name);
    checkPreconditions(type, existing, options.preconditions);
    if ((existing.metadata.finalizers ?? []).length > 0) {
      return { object: this.markDeleting(type, existing), finished: false };
    }
    return { object: this.remove(type, existing, options.propagationPolicy ?? 'Background'), finished: true };
  }

  deleteCollection(
    type: ResourceType,
    namespace: string | undefined,
    options: ListOptions & DeleteOptions,
  ): ObjectList {
    const doomed = this.list(type, namespace, options);
    const items = doomed.items.map(
      (o) => this.delete(type, o.metadata.namespace, o.metadata.name ?? '', options).object,
    );
    return { ...doomed, metadata: { resourceVersion: String(this.store.resourceVersion) }, items };
  }

  getScale(type: ResourceType, namespace: string | undefined, name: string): Scale {
    scaleConfigOf(type, name);
    return scaleOf(type, this.get(type, namespace, name));
  }

  /** PUT /scale: only spec.replicas of the parent changes; a resourceVersion in the Scale is a precondition. */
  updateScale(type: ResourceType, namespace: string | undefined, name: string, body: unknown): Scale {
    const config = scaleConfigOf(type, name);
    const existing = this.get(type, namespace, name);
    const { replicas, resourceVersion } = readScaleWrite(type, name, body);
    if (resourceVersion && resourceVersion !== existing.metadata.resourceVersion)
      throw conflict(type, name, STALE_OBJECT);
    const next = structuredClone(existing);
    writePath(next, config.specReplicasPath, replicas);
    return scaleOf(type, this.commit(type, existing, next, false));
  }

  /** PATCH /scale patches the Scale representation, then writes its spec.replicas. */
  patchScale(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    contentType: string | undefined,
    patch: unknown,
  ): Scale {
    const current = this.getScale(type, namespace, name);
    return this.updateScale(type, namespace, name, applyPatch(contentType, current, patch));
  }

  private commit(type: ResourceType, existing: KubeObject, next: KubeObject, strict: boolean): KubeObject {
    this.admit(type, next, strict, existing);
    if (type.tracksGeneration && !jsonEqual(content(next), content(existing))) {
      next.metadata.generation = (existing.metadata.generation ?? 0) + 1;
    }
    next.metadata.resourceVersion = existing.metadata.resourceVersion;
    // A write that changes nothing is not a write: no new resourceVersion, no watch event.
    if (jsonEqual(next, existing)) return existing;
    if (next.metadata.deletionTimestamp && (next.metadata.finalizers ?? []).length === 0) {
      return this.remove(type, next, 'Background');
    }
    return this.store.replace(storageKeyOf(type), next);
  }

  private admit(type: ResourceType, object: KubeObject, strict: boolean, previous?: KubeObject): void {
    const causes = [
      ...(previous && type.admitUpdate ? type.admitUpdate(object, previous) : []),
      ...validateObjectMeta(type, object.metadata),
      ...(type.admit ? type.admit(object, strict) : []),
    ];
    if (causes.length > 0) throw invalid(type, object.metadata.name ?? '', causes);
  }

  private markDeleting(type: ResourceType, existing: KubeObject): KubeObject {
    if (existing.metadata.deletionTimestamp) return existing;
    const next = structuredClone(existing);
    next.metadata.deletionTimestamp = kubeTimestamp();
    next.metadata.deletionGracePeriodSeconds = 0;
    if (type.tracksGeneration) next.metadata.generation = (existing.metadata.generation ?? 0) + 1;
    return this.store.replace(storageKeyOf(type), next);
  }

  private remove(type: ResourceType, object: KubeObject, policy: PropagationPolicy): KubeObject {
    const uid = object.metadata.uid ?? '';
    if (policy === 'Orphan') this.gc.orphan(uid);
    if (policy === 'Foreground') this.gc.collect(uid);
    const removed = this.store.remove(storageKeyOf(type), object.metadata.namespace, object.metadata.name ?? '');
    if (policy === 'Background') this.gc.collect(uid);
    return removed ?? object;
  }

  /** Dependents can vanish mid-cascade (a shared child of two owners); that is not an error. */
  private deleteDependent(storageKey: string, namespace: string | undefined, name: string): void {
    try {
      this.delete(this.registry.byName(storageKey), namespace, name);
    } catch (error) {
      if (!(error instanceof KubeApiError && error.code === 404)) throw error;
    }
  }

  private placeInNamespace(type: ResourceType, namespace: string | undefined, object: KubeObject): void {
    if (!type.namespaced) {
      delete object.metadata.namespace;
      return;
    }
    const declared = object.metadata.namespace;
    if (declared && declared !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    object.metadata.namespace = namespace;
  }
}

function toKubeObject(body: unknown): KubeObject {
  if (!isJsonObject(body)) throw badRequest('the request body must be a JSON object');
  const object = JSON.parse(JSON.stringify(body)) as KubeObject;
  if (!isJsonObject(object.metadata)) object.metadata = {};
  return object;
}

/** Server-owned fields: uid, timestamps, generation, and the status a new object may not carry. */
function initializeForCreate(type: ResourceType, object: KubeObject): void {
  object.apiVersion = apiVersionOf(type);
  object.kind = type.kind;
  const metadata = object.metadata;
  metadata.uid = randomUUID();
  metadata.creationTimestamp = kubeTimestamp();
  delete metadata.deletionTimestamp;
  delete metadata.generation;
  if (type.tracksGeneration) metadata.generation = 1;
  if (!type.statusSubresource) return;
  // Built-in strategies reset status to its zero value; custom resources drop it.
  if (type.custom) delete object.status;
  else object.status = {};
}

/** A main-resource update: the client's object, with server-owned metadata (and status) kept. */
function mainWrite(type: ResourceType, existing: KubeObject, incoming: KubeObject): KubeObject {
  const next = structuredClone(incoming);
  next.apiVersion = apiVersionOf(type);
  next.kind = type.kind;
  const { name, namespace, uid, creationTimestamp, generation, deletionTimestamp } = existing.metadata;
  next.metadata = JSON.parse(
    JSON.stringify({ ...incoming.metadata, name, namespace, uid, creationTimestamp, generation, deletionTimestamp }),
  );
  if (type.statusSubresource) {
    if (existing.status === undefined) delete next.status;
    else next.status = structuredClone(existing.status);
  }
  return next;
}

/** A /status update: the stored object with only the client's status, as the status strategies do. */
function withStatusOf(existing: KubeObject, incoming: KubeObject): KubeObject {
  const next = structuredClone(existing);
  if (incoming.status === undefined) delete next.status;
  else next.status = structuredClone(incoming.status);
  return next;
}

function checkResourceVersion(type: ResourceType, existing: KubeObject, requested: string | undefined): void {
  const name = existing.metadata.name ?? '';
  if (!requested) {
    if (!type.custom) return;
    throw invalid(type, name, [
      { field: 'metadata.resourceVersion', message: 'Invalid value: 0x0: must be specified for an update' },
    ]);
  }
  if (requested !== existing.metadata.resourceVersion) throw conflict(type, name, STALE_OBJECT);
}

function checkPreconditions(
  type: ResourceType,
  existing: KubeObject,
  preconditions: DeleteOptions['preconditions'],
): void {
  const name = existing.metadata.name ?? '';
  if (preconditions?.uid && preconditions.uid !== existing.metadata.uid) {
    throw conflict(
      type,
      name,
      `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${existing.metadata.uid}`,
    );
  }
  if (preconditions?.resourceVersion && preconditions.resourceVersion !== existing.metadata.resourceVersion) {
    throw conflict(type, name, STALE_OBJECT);
  }
}

/** What generation tracks: everything but metadata and status. */
function content(object: KubeObject): Record<string, unknown> {
  const { metadata: _metadata, status: _status, ...rest } = object;
  return rest;
}

function withoutTypeMeta(object: KubeObject): KubeObject {
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = object;
  return rest as KubeObject;
}
