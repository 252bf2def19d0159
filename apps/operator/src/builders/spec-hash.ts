import { createHash } from 'node:crypto';
import type { ObjectMeta } from '../cluster/kube-objects.js';
import { SPEC_HASH_ANNOTATION } from './model-workload.names.js';

/** JSON with object keys sorted at every level, so equal values always hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, sortKeys(v)]),
  );
}

/** 64 bits of SHA-256 in hex: enough to tell two desired states apart, short enough to read. */
export function specHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

/**
 * Adds the spec-hash annotation, computed over everything the operator owns in the object (labels,
 * its other annotations, spec), so a child is rewritten exactly when the desired state changed.
 */
export function withSpecHash<T extends { metadata: ObjectMeta; spec?: unknown }>(object: T): T {
  const { labels, annotations } = object.metadata;
  const hash = specHash({ labels, annotations, spec: object.spec });
  return { ...object, metadata: { ...object.metadata, annotations: { ...annotations, [SPEC_HASH_ANNOTATION]: hash } } };
}
