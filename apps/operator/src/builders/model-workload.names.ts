import { MODEL_DEPLOYMENT_API_VERSION, MODEL_DEPLOYMENT_KIND, type ModelDeployment } from '@focal/contracts';
import type { ObjectMeta, OwnerReference } from '../cluster/kube-objects.js';

/** The port the inference worker serves on, and the Service's port (DESIGN §4 routing). */
export const MODEL_HTTP_PORT = 8080;
export const MODEL_PORT_NAME = 'http';

export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_INSTANCE = 'app.kubernetes.io/instance';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
export const LABEL_MODEL_TYPE = 'focal.dev/model-type';
export const SPEC_HASH_ANNOTATION = 'focal.dev/spec-hash';
/**
 * On the pod template, and so on every pod: a hash of the template the operator built. A pod that carries the
 * Deployment's current value runs the current spec, whatever the Deployment controller has observed yet.
 */
export const TEMPLATE_HASH_ANNOTATION = 'focal.dev/template-hash';

export const MODEL_APP_NAME = 'focal-model';
export const MANAGED_BY = 'focal-operator';
/** Selects every child the operator manages, for its Deployment and Service watches. */
export const MANAGED_SELECTOR = `${LABEL_MANAGED_BY}=${MANAGED_BY}`;

/** The name of both children; the API derives the same name to reach the model. */
export function childName(mdName: string): string {
  return `${MODEL_APP_NAME}-${mdName}`;
}

/** The labels that select a model's pods; the Deployment selector is immutable, so they never change. */
export function selectorLabels(md: ModelDeployment): Record<string, string> {
  return { [LABEL_NAME]: MODEL_APP_NAME, [LABEL_INSTANCE]: md.metadata.name ?? '' };
}

export function childLabels(md: ModelDeployment): Record<string, string> {
  return {
    ...selectorLabels(md),
    [LABEL_MANAGED_BY]: MANAGED_BY,
    [LABEL_PART_OF]: 'focal',
    [LABEL_MODEL_TYPE]: md.spec.modelType,
  };
}

/** The pods' selector in string form (sorted, as the API server prints it), for the scale subresource. */
export function selectorString(md: ModelDeployment): string {
  return Object.entries(selectorLabels(md))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

export function modelEndpoint(md: ModelDeployment): string {
  return `http://${childName(md.metadata.name ?? '')}.${md.metadata.namespace ?? 'default'}.svc:${MODEL_HTTP_PORT}`;
}

/** Makes the ModelDeployment the children's controller, so deleting it garbage-collects them. */
export function ownerReference(md: ModelDeployment): OwnerReference {
  return {
    apiVersion: MODEL_DEPLOYMENT_API_VERSION,
    kind: MODEL_DEPLOYMENT_KIND,
    name: md.metadata.name ?? '',
    uid: md.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function childMetadata(md: ModelDeployment): ObjectMeta {
  return {
    name: childName(md.metadata.name ?? ''),
    namespace: md.metadata.namespace,
    labels: childLabels(md),
    ownerReferences: [ownerReference(md)],
  };
}

function controllerOf(metadata: ObjectMeta): OwnerReference | undefined {
  return metadata.ownerReferences?.find((ref) => ref.controller === true);
}

export function isControlledBy(metadata: ObjectMeta, md: ModelDeployment): boolean {
  return controllerOf(metadata)?.uid === md.metadata.uid;
}

/** `namespace/name` of the ModelDeployment controlling a child, or undefined for any other object. */
export function ownerKeyOf(metadata: ObjectMeta): string | undefined {
  const owner = controllerOf(metadata);
  if (!owner || owner.kind !== MODEL_DEPLOYMENT_KIND || owner.apiVersion !== MODEL_DEPLOYMENT_API_VERSION) {
    return undefined;
  }
  return `${metadata.namespace ?? ''}/${owner.name}`;
}

/**
 * `namespace/name` of the ModelDeployment whose pods these are. Pods are owned by a ReplicaSet, not
 * by the ModelDeployment, so the instance label of the pod template names it.
 */
export function podOwnerKeyOf(metadata: ObjectMeta): string | undefined {
  const instance = metadata.labels?.[LABEL_INSTANCE];
  if (!instance || metadata.labels?.[LABEL_NAME] !== MODEL_APP_NAME) return undefined;
  return `${metadata.namespace ?? ''}/${instance}`;
}

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Why the ModelDeployment's name cannot name its children, if it cannot: the Service name must be
 * a DNS-1035 label of at most 63 characters, while a custom resource may be any DNS subdomain.
 */
export function childNameProblem(md: ModelDeployment): string | undefined {
  const name = childName(md.metadata.name ?? '');
  if (name.length > 63) {
    return `the Service name ${name} would exceed 63 characters; use a ModelDeployment name of at most ${63 - childName('').length}`;
  }
  if (!DNS1035_LABEL.test(name)) {
    return `the Service name ${name} is not a DNS-1035 label; use lowercase letters, digits and '-' only`;
  }
  return undefined;
}
