import type { ObjectMeta as SharedObjectMeta } from '@focal/contracts';

export type { OwnerReference } from '@focal/contracts';

/** Every other metadata field a client sends is stored as sent. */
export interface ObjectMeta extends SharedObjectMeta {
  [field: string]: unknown;
}

/** Any Kubernetes object as JSON. Spec and status stay untyped: the server treats them as data. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Timestamps as the API server writes them: RFC 3339 with whole seconds. */
export function kubeTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Structural equality of JSON values. Unlike util.isDeepStrictEqual it ignores prototypes, which
 * differ between objects from JSON.parse and from structuredClone when they come from different
 * realms (as under Jest).
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (!isJsonObject(a) || !isJsonObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
}
