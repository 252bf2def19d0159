import { isJsonObject, type JsonObject } from './kube-object.js';

/**
 * RFC 7386 JSON merge patch: objects merge key by key, null deletes a key, anything else
 * (arrays included) replaces the target value.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return structuredClone(patch);
  const result: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/**
 * Strategic merge patches are applied as merge patches: lists are replaced rather than merged by
 * key, and the `$patch`/`$setElementOrder`/`$retainKeys` directives are dropped so they never
 * reach the stored object. Enough for controllers that send whole lists.
 */
export function stripStrategicDirectives(patch: unknown): unknown {
  if (Array.isArray(patch)) return patch.map(stripStrategicDirectives);
  if (!isJsonObject(patch)) return patch;
  const entries = Object.entries(patch).filter(([key]) => !key.startsWith('$'));
  return Object.fromEntries(entries.map(([key, value]) => [key, stripStrategicDirectives(value)]));
}
