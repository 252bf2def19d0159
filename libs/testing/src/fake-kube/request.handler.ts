import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseApiPath, type ApiRoute } from './api-path.js';
import { apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.documents.js';
import type { FaultInjector } from './fault.injector.js';
import { readJsonBody, sendError, sendJson } from './http-io.js';
import { isJsonObject, type KubeObject } from './kube-object.js';
import { badRequest, methodNotAllowed, pathNotFound, successStatus, unauthorized } from './kube-status.js';
import type { ObjectStore } from './object.store.js';
import type { DeleteOptions, ObjectList, PropagationPolicy, ResourceOperations } from './resource.operations.js';
import type { ResourceType } from './resource-type.js';
import type { ResourceRegistry } from './resource.registry.js';
import { toTable, wantsTable } from './table.printer.js';
import type { WatchGate } from './watch.gate.js';
import type { WatchHub } from './watch.hub.js';
import { isWatchRequest, startWatch } from './watch.request.js';

export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  contentType?: string;
  /** The client's name, from a token made by `kubeConfig(client)`; absent for the plain token. */
  client?: string;
}

export interface HandlerContext {
  registry: ResourceRegistry;
  operations: ResourceOperations;
  store: ObjectStore;
  hub: WatchHub;
  gate: WatchGate;
  faults: FaultInjector;
  /** The bearer token requests must carry; undefined accepts anonymous requests. */
  token?: string;
  /** The kubeconfigs' token, required or not: `<issuedToken>.<client>` names a client in the log. */
  issuedToken: string;
  log: RequestRecord[];
}

type ResourceRoute = Extract<ApiRoute, { kind: 'resource' }>;

interface Call {
  context: HandlerContext;
  request: IncomingMessage;
  response: ServerResponse;
  method: string;
  query: URLSearchParams;
}

/** Serves one HTTP request with the API server's routing, verbs and Status errors. */
export async function handleRequest(
  context: HandlerContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fake-kube');
  const method = (request.method ?? 'GET').toUpperCase();
  const contentType = request.headers['content-type'];
  const client = clientOf(context.issuedToken, request.headers.authorization);
  context.log.push({
    method,
    path: url.pathname,
    query: url.search,
    ...(contentType ? { contentType } : {}),
    ...(client ? { client } : {}),
  });
  try {
    if (context.token && client === undefined && request.headers.authorization !== `Bearer ${context.token}`)
      throw unauthorized();
    context.faults.check(method, url.pathname);
    if (url.searchParams.has('dryRun')) throw badRequest('dryRun is not supported by the fake API server');
    await route({ context, request, response, method, query: url.searchParams }, parseApiPath(url.pathname));
  } catch (error) {
    sendError(response, error);
  }
}

/** `Bearer <token>.<client>` names the client (see FakeKubeApiServer.kubeConfig); anything else names none. */
function clientOf(token: string, authorization: string | undefined): string | undefined {
  const prefix = `Bearer ${token}.`;
  return authorization?.startsWith(prefix) ? authorization.slice(prefix.length) || undefined : undefined;
}

async function route(call: Call, target: ApiRoute): Promise<void> {
  if (target.kind === 'resource') return resourceRequest(call, target);
  if (call.method !== 'GET') throw methodNotAllowed(call.method);
  sendJson(call.response, 200, discoveryDocument(call.context.registry, target));
}

function discoveryDocument(registry: ResourceRegistry, target: ApiRoute): unknown {
  if (target.kind === 'discovery') {
    if (target.document === 'api') return apiVersions();
    return target.document === 'apis' ? apiGroupList(registry) : versionInfo();
  }
  const document = target.kind === 'groupVersion' ? apiResourceList(registry, target.group, target.version) : undefined;
  if (!document) throw pathNotFound();
  return document;
}

async function resourceRequest(call: Call, target: ResourceRoute): Promise<void> {
  const type = call.context.registry.find(target.group, target.version, target.plural);
  if (!type || (!type.namespaced && target.namespace !== undefined)) throw pathNotFound();
  if (target.name === undefined) return collectionRequest(call, type, target.namespace);
  if (type.namespaced && target.namespace === undefined) throw pathNotFound();
  if (target.subresource === undefined) return itemRequest(call, type, target.namespace, target.name);
  if (target.subresource === 'status' && type.statusSubresource)
    return statusRequest(call, type, target.namespace, target.name);
  if (target.subresource === 'scale' && type.scale) return scaleRequest(call, type, target.namespace, target.name);
  throw pathNotFound();
}

async function collectionRequest(call: Call, type: ResourceType, namespace: string | undefined): Promise<void> {
  const { operations } = call.context;
  const selectors = { labelSelector: call.query.get('labelSelector'), fieldSelector: call.query.get('fieldSelector') };
  switch (call.method) {
    case 'GET':
      if (isWatchRequest(call.query)) return startWatch(call.context, call.response, call.query, type, namespace);
      return sendJson(call.response, 200, listBody(call, type, operations.list(type, namespace, selectors)));
    case 'POST':
      return sendJson(
        call.response,
        201,
        operations.create(type, namespace, await readJsonBody(call.request), writeOptions(call)),
      );
    case 'DELETE': {
      const options = { ...selectors, ...(await deleteOptions(call)) };
      return sendJson(call.response, 200, operations.deleteCollection(type, namespace, options));
    }
    default:
      throw methodNotAllowed(call.method);
  }
}

async function itemRequest(call: Call, type: ResourceType, namespace: string | undefined, name: string): Promise<void> {
  const { operations } = call.context;
  switch (call.method) {
    case 'GET':
      return sendJson(call.response, 200, objectBody(call, type, operations.get(type, namespace, name)));
    case 'PUT':
      return sendJson(
        call.response,
        200,
        operations.update(type, namespace, name, await readJsonBody(call.request), writeOptions(call)),
      );
    case 'PATCH': {
      const patch = await readJsonBody(call.request);
      const contentType = call.request.headers['content-type'];
      return sendJson(
        call.response,
        200,
        operations.patch(type, namespace, name, contentType, patch, writeOptions(call)),
      );
    }
    case 'DELETE':
      return sendDeleted(call, type, namespace, name);
    default:
      throw methodNotAllowed(call.method);
  }
}

/** 200 with the object (or a Success Status for most built-ins) when gone; 202 with the object while finalizers hold it. */
async function sendDeleted(call: Call, type: ResourceType, namespace: string | undefined, name: string): Promise<void> {
  const { object, finished } = call.context.operations.delete(type, namespace, name, await deleteOptions(call));
  if (!finished) return sendJson(call.response, 202, object);
  const body = type.returnsDeletedObject ? object : successStatus(type, name, object.metadata.uid);
  sendJson(call.response, 200, body);
}

async function statusRequest(
  call: Call,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
): Promise<void> {
  const { operations } = call.context;
  const options = { ...writeOptions(call), subresource: 'status' as const };
  switch (call.method) {
    case 'GET':
      return sendJson(call.response, 200, operations.get(type, namespace, name));
    case 'PUT':
      return sendJson(
        call.response,
        200,
        operations.update(type, namespace, name, await readJsonBody(call.request), options),
      );
    case 'PATCH': {
      const patch = await readJsonBody(call.request);
      const contentType = call.request.headers['content-type'];
      return sendJson(call.response, 200, operations.patch(type, namespace, name, contentType, patch, options));
    }
    default:
      throw methodNotAllowed(call.method);
  }
}

async function scaleRequest(
  call: Call,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
): Promise<void> {
  const { operations } = call.context;
  switch (call.method) {
    case 'GET':
      return sendJson(call.response, 200, operations.getScale(type, namespace, name));
    case 'PUT':
      return sendJson(
        call.response,
        200,
        operations.updateScale(type, namespace, name, await readJsonBody(call.request)),
      );
    case 'PATCH': {
      const patch = await readJsonBody(call.request);
      const contentType = call.request.headers['content-type'];
      return sendJson(call.response, 200, operations.patchScale(type, namespace, name, contentType, patch));
    }
    default:
      throw methodNotAllowed(call.method);
  }
}

/** kubectl asks for server-side printing as a Table; every other client gets JSON objects. */
function listBody(call: Call, type: ResourceType, list: ObjectList): unknown {
  return wantsTable(call.request.headers.accept) ? toTable(type, list.items, list.metadata.resourceVersion) : list;
}

function objectBody(call: Call, type: ResourceType, object: KubeObject): unknown {
  if (!wantsTable(call.request.headers.accept)) return object;
  return toTable(type, [object], object.metadata.resourceVersion ?? '');
}

function writeOptions(call: Call): { strict: boolean } {
  return { strict: call.query.get('fieldValidation') === 'Strict' };
}

/** DeleteOptions may come as query parameters, as a body, or both; the body wins. orphanDependents is the deprecated Orphan. */
async function deleteOptions(call: Call): Promise<DeleteOptions> {
  const body = await readJsonBody(call.request);
  const fromBody = isJsonObject(body) ? body : {};
  const orphan = fromBody.orphanDependents === true || call.query.get('orphanDependents') === 'true';
  const requested =
    fromBody.propagationPolicy ?? call.query.get('propagationPolicy') ?? (orphan ? 'Orphan' : undefined);
  const policy = requested as PropagationPolicy | undefined;
  const preconditions = isJsonObject(fromBody.preconditions)
    ? (fromBody.preconditions as DeleteOptions['preconditions'])
    : undefined;
  if (policy !== undefined && !['Foreground', 'Background', 'Orphan'].includes(policy)) {
    throw badRequest(`invalid propagationPolicy: ${String(policy)}`);
  }
  return { ...(policy ? { propagationPolicy: policy } : {}), ...(preconditions ? { preconditions } : {}) };
}
