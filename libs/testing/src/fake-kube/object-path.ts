import { isJsonObject } from './kube-object.js';

/** `.spec.replicas` → `['spec', 'replicas']`; CRD scale paths are simple dotted JSON paths. */
export function jsonPathOf(path: string): string[] {
  return path.replace(/^\./, '').split('.');
}

export function readPath(object: unknown, path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (isJsonObject(node) ? node[key] : undefined), object);
}

/** Sets a nested value, creating the missing parent objects. */
export function writePath(object: Record<string, unknown>, path: string[], value: unknown): void {
  const leaf = path.slice(0, -1).reduce<Record<string, unknown>>((node, key) => {
    if (!isJsonObject(node[key])) node[key] = {};
    return node[key] as Record<string, unknown>;
  }, object);
  leaf[path[path.length - 1] as string] = value;
}
