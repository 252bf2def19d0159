import { isJsonObject, jsonEqual } from './kube-object.js';

/** `malformed` means the patch document itself is wrong (400); `failed` means an operation did not apply (422). */
export class JsonPatchError extends Error {
  constructor(
    message: string,
    readonly kind: 'malformed' | 'failed',
  ) {
    super(message);
    this.name = 'JsonPatchError';
  }
}

interface Operation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/**
 * RFC 6902 JSON patch. @kubernetes/client-node sends its patch bodies as
 * `application/json-patch+json` unless told otherwise, so the fake server must understand it.
 */
export function applyJsonPatch(document: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new JsonPatchError('a JSON patch must be an array of operations', 'malformed');
  return operations.reduce(
    (doc: unknown, op: unknown) => applyOperation(doc, parseOperation(op)),
    structuredClone(document),
  );
}

function parseOperation(raw: unknown): Operation {
  if (!isJsonObject(raw) || typeof raw.op !== 'string' || !OPS.has(raw.op) || typeof raw.path !== 'string') {
    throw new JsonPatchError(`invalid JSON patch operation: ${JSON.stringify(raw)}`, 'malformed');
  }
  if ((raw.op === 'move' || raw.op === 'copy') && typeof raw.from !== 'string') {
    throw new JsonPatchError(`operation ${raw.op} needs "from"`, 'malformed');
  }
  return raw as unknown as Operation;
}

function applyOperation(doc: unknown, op: Operation): unknown {
  const path = parsePointer(op.path);
  switch (op.op) {
    case 'add':
      return add(doc, path, structuredClone(op.value));
    case 'remove':
      return remove(doc, path);
    case 'replace':
      return add(remove(doc, path), path, structuredClone(op.value));
    case 'move': {
      const from = parsePointer(op.from as string);
      const value = valueAt(doc, from);
      return add(remove(doc, from), path, value);
    }
    case 'copy':
      return add(doc, path, structuredClone(valueAt(doc, parsePointer(op.from as string))));
    case 'test':
      if (!jsonEqual(valueAt(doc, path), op.value)) throw new JsonPatchError(`test failed at ${op.path}`, 'failed');
      return doc;
  }
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`invalid JSON pointer "${pointer}"`, 'malformed');
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(doc: unknown, path: string[]): unknown {
  return path.reduce((node: unknown, token) => {
    const child = childOf(node, token);
    if (child === undefined) throw new JsonPatchError(`path /${path.join('/')} does not exist`, 'failed');
    return child;
  }, doc);
}

function childOf(node: unknown, token: string): unknown {
  if (Array.isArray(node)) return node[arrayIndex(node, token, false)];
  return isJsonObject(node) && Object.hasOwn(node, token) ? node[token] : undefined;
}

function arrayIndex(array: unknown[], token: string, forInsert: boolean): number {
  if (forInsert && token === '-') return array.length;
  const index = /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : NaN;
  const limit = forInsert ? array.length : array.length - 1;
  if (!(index >= 0 && index <= limit)) throw new JsonPatchError(`array index ${token} out of range`, 'failed');
  return index;
}

function add(doc: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = valueAt(doc, path.slice(0, -1));
  const key = path[path.length - 1] as string;
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true), 0, value);
  else if (isJsonObject(parent)) parent[key] = value;
  else throw new JsonPatchError(`cannot add below a scalar at /${path.join('/')}`, 'failed');
  return doc;
}

function remove(doc: unknown, path: string[]): unknown {
  if (path.length === 0) return undefined;
  const parent = valueAt(doc, path.slice(0, -1));
  const key = path[path.length - 1] as string;
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false), 1);
  else if (isJsonObject(parent) && Object.hasOwn(parent, key)) delete parent[key];
  else throw new JsonPatchError(`path /${path.join('/')} does not exist`, 'failed');
  return doc;
}
