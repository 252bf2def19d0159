import type { KubeObject } from './kube-object.js';

/** A field-level failure, reported in the `details.causes` of a 422 Invalid Status. */
export interface ValidationCause {
  field: string;
  message: string;
}

/**
 * Server-side admission for one resource: applies defaults and prunes unknown fields in place,
 * then returns what is invalid. `strict` is `fieldValidation=Strict`, where unknown fields are errors.
 */
export type ObjectAdmission = (object: KubeObject, strict: boolean) => ValidationCause[];

/** Rejects changes the API server refuses on update, such as an immutable Deployment selector. */
export type UpdateAdmission = (next: KubeObject, previous: KubeObject) => ValidationCause[];

/** Where the scale subresource reads and writes replicas, as property paths. */
export interface ScaleSubresource {
  specReplicasPath: string[];
  statusReplicasPath: string[];
  /** The label selector reported in Scale.status.selector. */
  selector(object: KubeObject): string | undefined;
}

/** A CRD additionalPrinterColumns entry. */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  format?: string;
  priority?: number;
}

/** What the fake server needs to know to serve one REST resource like the real API server. */
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  shortNames: string[];
  namespaced: boolean;
  /** With a status subresource, main-resource writes keep the stored status and /status writes only status. */
  statusSubresource: boolean;
  scale?: ScaleSubresource;
  /** Extra `kubectl get` columns (a CRD's additionalPrinterColumns); Name and Age otherwise. */
  printerColumns?: PrinterColumn[];
  /** metadata.generation is set on create and bumped when anything but metadata and status changes. */
  tracksGeneration: boolean;
  /** DELETE answers with the deleted object instead of a Success Status (pods and custom resources do). */
  returnsDeletedObject: boolean;
  /**
   * Served from a CustomResourceDefinition. Custom resources differ from built-ins in small ways
   * clients notice: list items keep apiVersion and kind, an update must carry
   * metadata.resourceVersion, and a new object's status is dropped rather than zeroed.
   */
  custom: boolean;
  /** Name rule: DNS-1035 label for Services, DNS-1123 subdomain otherwise. */
  nameRule: 'dns1035Label' | 'dns1123Subdomain';
  admit?: ObjectAdmission;
  admitUpdate?: UpdateAdmission;
}

export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** The `plural.group` spelling the API server uses in messages, such as `deployments.apps`. */
export function qualifiedResource(type: ResourceType): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}
