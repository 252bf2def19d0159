import { qualifiedResource, type ResourceType, type ValidationCause } from './resource-type.js';

export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'BadRequest'
  | 'Unauthorized'
  | 'MethodNotAllowed'
  | 'UnsupportedMediaType'
  | 'InternalError';

export interface StatusCause {
  reason: string;
  message: string;
  field: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
}

/** The meta/v1 Status object the API server returns for errors and for some deletes. */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** A failed request; the HTTP layer turns it into a Status response with the same code. */
export class KubeApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }

  toStatus(): KubeStatus {
    const status: KubeStatus = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    return this.details ? { ...status, details: this.details } : status;
  }
}

function detailsOf(type: ResourceType, name: string): StatusDetails {
  return { name, group: type.group, kind: type.plural };
}

export function notFound(type: ResourceType, name: string): KubeApiError {
  return new KubeApiError(404, 'NotFound', `${qualifiedResource(type)} "${name}" not found`, detailsOf(type, name));
}

export function alreadyExists(type: ResourceType, name: string): KubeApiError {
  const message = `${qualifiedResource(type)} "${name}" already exists`;
  return new KubeApiError(409, 'AlreadyExists', message, detailsOf(type, name));
}

/** The optimistic-concurrency failure controllers retry on. */
export function conflict(type: ResourceType, name: string, why: string): KubeApiError {
  const message = `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": ${why}`;
  return new KubeApiError(409, 'Conflict', message, detailsOf(type, name));
}

export const STALE_OBJECT =
  'the object has been modified; please apply your changes to the latest version and try again';

/** What the watch cache answers when a watch starts before its retained history (reason Expired, code 410). */
export function resourceVersionTooOld(requested: number, oldest: number): KubeApiError {
  return new KubeApiError(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
}

export function invalid(type: ResourceType, name: string, causes: ValidationCause[]): KubeApiError {
  const summary = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  const message = `${type.kind}${type.group ? `.${type.group}` : ''} "${name}" is invalid: ${summary}`;
  const statusCauses = causes.map((c) => ({ reason: 'FieldValueInvalid', message: c.message, field: c.field }));
  return new KubeApiError(422, 'Invalid', message, { ...detailsOf(type, name), kind: type.kind, causes: statusCauses });
}

export function badRequest(message: string): KubeApiError {
  return new KubeApiError(400, 'BadRequest', message);
}

export function pathNotFound(): KubeApiError {
  return new KubeApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function methodNotAllowed(method: string): KubeApiError {
  return new KubeApiError(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource: ${method}`,
    {},
  );
}

export function unsupportedPatchType(contentType: string): KubeApiError {
  return new KubeApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format: ${contentType}`,
  );
}

export function unauthorized(): KubeApiError {
  return new KubeApiError(401, 'Unauthorized', 'Unauthorized');
}

export function successStatus(type: ResourceType, name: string, uid: string | undefined): KubeStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { ...detailsOf(type, name), ...(uid ? { uid } : {}) },
    code: 200,
  };
}
