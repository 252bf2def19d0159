import { isJsonObject, type KubeObject } from './kube-object.js';
import { invalid, notFound } from './kube-status.js';
import { readPath } from './object-path.js';
import type { ResourceType, ScaleSubresource } from './resource-type.js';

/** autoscaling/v1 Scale, what `/scale` reads and writes for Deployments and scalable custom resources. */
export interface Scale {
  kind: 'Scale';
  apiVersion: 'autoscaling/v1';
  metadata: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; creationTimestamp?: string };
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

export function scaleConfigOf(type: ResourceType, name: string): ScaleSubresource {
  if (!type.scale) throw notFound(type, name);
  return type.scale;
}

export function scaleOf(type: ResourceType, object: KubeObject): Scale {
  const config = scaleConfigOf(type, object.metadata.name ?? '');
  const { name, namespace, uid, resourceVersion, creationTimestamp } = object.metadata;
  const specReplicas = readPath(object, config.specReplicasPath);
  const statusReplicas = readPath(object, config.statusReplicasPath);
  const selector = config.selector(object);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: typeof specReplicas === 'number' ? { replicas: specReplicas } : {},
    status: { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0, ...(selector ? { selector } : {}) },
  };
}

/** The replica count and optional precondition a Scale write carries. */
export function readScaleWrite(
  type: ResourceType,
  name: string,
  body: unknown,
): { replicas: number; resourceVersion?: string } {
  const spec = isJsonObject(body) && isJsonObject(body.spec) ? body.spec : {};
  const metadata = isJsonObject(body) && isJsonObject(body.metadata) ? body.metadata : {};
  if (typeof spec.replicas !== 'number' || !Number.isInteger(spec.replicas) || spec.replicas < 0) {
    const message = `Invalid value: ${JSON.stringify(spec.replicas)}: must be greater than or equal to 0`;
    throw invalid(type, name, [{ field: 'spec.replicas', message }]);
  }
  const rv = metadata.resourceVersion;
  return typeof rv === 'string' && rv !== ''
    ? { replicas: spec.replicas, resourceVersion: rv }
    : { replicas: spec.replicas };
}
