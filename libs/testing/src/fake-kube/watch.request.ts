import type { ServerResponse } from 'node:http';
import { parseFieldSelector } from './field-selector.js';
import { badRequest, KubeApiError } from './kube-status.js';
import { parseLabelSelector } from './label-selector.js';
import type { ObjectStore } from './object.store.js';
import type { ResourceType } from './resource-type.js';
import { storageKeyOf } from './resource.registry.js';
import type { WatchGate } from './watch.gate.js';
import type { WatchFilter, WatchHub } from './watch.hub.js';
import { WatchStream } from './watch.stream.js';

export interface WatchContext {
  store: ObjectStore;
  hub: WatchHub;
  gate: WatchGate;
}

export function isWatchRequest(query: URLSearchParams): boolean {
  const watch = query.get('watch');
  return watch === 'true' || watch === '1';
}

/**
 * `?watch=true` on a collection: with no resourceVersion (or "0") the stream starts with ADDED for
 * every current object; with one it replays what happened after it, or answers an ERROR event with
 * a 410 Status when that is older than the retained history. Also honours labelSelector,
 * fieldSelector, allowWatchBookmarks and timeoutSeconds.
 */
export function startWatch(
  context: WatchContext,
  response: ServerResponse,
  query: URLSearchParams,
  type: ResourceType,
  namespace: string | undefined,
): void {
  const requested = query.get('resourceVersion') ?? '';
  const from = requested === '' || requested === '0' ? undefined : Number(requested);
  if (from !== undefined && !Number.isInteger(from)) throw badRequest(`invalid resource version: ${requested}`);
  const filter: WatchFilter = {
    storageKey: storageKeyOf(type),
    ...(namespace !== undefined ? { namespace } : {}),
    labels: parseLabelSelector(query.get('labelSelector')),
    fields: parseFieldSelector(query.get('fieldSelector')),
  };
  const stream = new WatchStream(response, type, filter, query.get('allowWatchBookmarks') === 'true');
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 0);
  context.gate.admit(() => runWatch(context, stream, response, from, timeoutSeconds));
}

function runWatch(
  context: WatchContext,
  stream: WatchStream,
  response: ServerResponse,
  from: number | undefined,
  timeoutSeconds: number,
): void {
  if (response.destroyed) return;
  stream.open();
  let unsubscribe: () => void;
  try {
    if (from === undefined) sendInitialState(context.store, stream);
    unsubscribe = context.hub.subscribe(stream, from);
  } catch (error) {
    // Held watches start outside the request's try block, so nothing may escape from here.
    if (error instanceof KubeApiError) stream.fail(error.toStatus());
    else response.destroy();
    return;
  }
  const timer = timeoutSeconds > 0 ? setTimeout(() => stream.close(), timeoutSeconds * 1000) : undefined;
  timer?.unref();
  response.on('close', () => {
    unsubscribe();
    clearTimeout(timer);
  });
}

function sendInitialState(store: ObjectStore, stream: WatchStream): void {
  const { filter } = stream;
  for (const object of store.list(filter.storageKey, filter.namespace)) {
    if (filter.labels(object.metadata.labels) && filter.fields(object)) stream.deliver('ADDED', object);
  }
}
