import { badRequest } from './kube-status.js';
import type { KubeObject } from './kube-object.js';
import { readPath } from './object-path.js';

export type FieldMatcher = (object: KubeObject) => boolean;

/**
 * Parses the `fieldSelector` query parameter (`metadata.name=x,status.phase!=Running`). The real
 * server allows only a few fields per resource; this one resolves any dotted path, where a
 * missing field compares as the empty string.
 */
export function parseFieldSelector(selector: string | null | undefined): FieldMatcher {
  const terms = (selector ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map(parseTerm);
  return (object) => terms.every((t) => (fieldValue(object, t.path) === t.value) === t.equal);
}

function parseTerm(term: string): { path: string[]; value: string; equal: boolean } {
  const match = /^([A-Za-z0-9_.]+)\s*(==|!=|=)\s*(.*)$/.exec(term);
  if (!match) throw badRequest(`invalid field selector term: ${term}`);
  return { path: (match[1] as string).split('.'), value: match[3] as string, equal: match[2] !== '!=' };
}

function fieldValue(object: KubeObject, path: string[]): string {
  const value = readPath(object, path);
  return value === undefined || value === null ? '' : String(value);
}
