import {
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  V1MicroTime,
  type CoreV1Event,
  type KubeConfig,
  type V1Deployment,
  type V1Lease,
  type V1PodList,
  type V1Service,
} from '@kubernetes/client-node';
import {
  MODEL_DEPLOYMENT_GROUP,
  MODEL_DEPLOYMENT_PLURAL,
  MODEL_DEPLOYMENT_VERSION,
  type ModelDeployment,
  type ModelDeploymentList,
} from '@focal/contracts';
import type { KubeResources, PodAddress } from '../cluster/cluster.ports.js';
import { isNotFound } from '../cluster/kube-api.error.js';
import type {
  DeploymentObject,
  EventObject,
  LeaseObject,
  PodObject,
  ScaleObject,
  ServiceObject,
} from '../cluster/kube-objects.js';
import { toKubeApiError } from './kube-error.mapper.js';

const MD = { group: MODEL_DEPLOYMENT_GROUP, version: MODEL_DEPLOYMENT_VERSION, plural: MODEL_DEPLOYMENT_PLURAL };

/**
 * The operator's Kubernetes calls over client-node's generated APIs. Responses are turned back
 * into plain JSON, because the typed APIs deserialize timestamps into Date objects while watches
 * deliver strings; the operator compares and hashes plain data only.
 */
export class KubeResourcesClient implements KubeResources {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly coordination: CoordinationV1Api;

  constructor(kubeConfig: KubeConfig) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
    this.coordination = kubeConfig.makeApiClient(CoordinationV1Api);
  }

  getModelDeployment(namespace: string, name: string): Promise<ModelDeployment | undefined> {
    return read(() => this.custom.getNamespacedCustomObject({ ...MD, namespace, name }));
  }

  async listModelDeployments(namespace: string | undefined): Promise<ModelDeployment[]> {
    const list = await call<ModelDeploymentList>(() =>
      namespace === undefined
        ? this.custom.listClusterCustomObject({ ...MD })
        : this.custom.listNamespacedCustomObject({ ...MD, namespace }),
    );
    return list.items;
  }

  replaceModelDeploymentStatus(md: ModelDeployment): Promise<ModelDeployment> {
    const { namespace = '', name = '' } = md.metadata;
    return call(() => this.custom.replaceNamespacedCustomObjectStatus({ ...MD, namespace, name, body: md }));
  }

  getModelDeploymentScale(namespace: string, name: string): Promise<ScaleObject | undefined> {
    return read(() => this.custom.getNamespacedCustomObjectScale({ ...MD, namespace, name }));
  }

  replaceModelDeploymentScale(namespace: string, name: string, scale: ScaleObject): Promise<ScaleObject> {
    return call(() => this.custom.replaceNamespacedCustomObjectScale({ ...MD, namespace, name, body: scale }));
  }

  /** Running pods with an IP; the autoscaler reaches each at that IP (never through a Service). */
  async listPodAddresses(namespace: string, labelSelector: string): Promise<PodAddress[]> {
    const list = await call<V1PodList>(() => this.core.listNamespacedPod({ namespace, labelSelector }));
    return list.items.flatMap((pod) => {
      const ip = pod.status?.podIP;
      if (!ip || pod.status?.phase !== 'Running' || pod.metadata?.deletionTimestamp) return [];
      return [{ name: pod.metadata?.name ?? '', ip }];
    });
  }

  getDeployment(namespace: string, name: string): Promise<DeploymentObject | undefined> {
    return read(() => this.apps.readNamespacedDeployment({ namespace, name }));
  }

  createDeployment(namespace: string, deployment: DeploymentObject): Promise<DeploymentObject> {
    return call(() => this.apps.createNamespacedDeployment({ namespace, body: deployment as V1Deployment }));
  }

  replaceDeployment(namespace: string, name: string, deployment: DeploymentObject): Promise<DeploymentObject> {
    return call(() => this.apps.replaceNamespacedDeployment({ namespace, name, body: deployment as V1Deployment }));
  }

  getService(namespace: string, name: string): Promise<ServiceObject | undefined> {
    return read(() => this.core.readNamespacedService({ namespace, name }));
  }

  createService(namespace: string, service: ServiceObject): Promise<ServiceObject> {
    return call(() => this.core.createNamespacedService({ namespace, body: service as V1Service }));
  }

  replaceService(namespace: string, name: string, service: ServiceObject): Promise<ServiceObject> {
    return call(() => this.core.replaceNamespacedService({ namespace, name, body: service as V1Service }));
  }

  async listPods(namespace: string, labelSelector: string): Promise<PodObject[]> {
    const list = await call<{ items: PodObject[] }>(() => this.core.listNamespacedPod({ namespace, labelSelector }));
    return list.items;
  }

  async createEvent(namespace: string, event: EventObject): Promise<void> {
    await call(() => this.core.createNamespacedEvent({ namespace, body: event as unknown as CoreV1Event }));
  }

  getLease(namespace: string, name: string): Promise<LeaseObject | undefined> {
    return read(() => this.coordination.readNamespacedLease({ namespace, name }));
  }

  createLease(namespace: string, lease: LeaseObject): Promise<LeaseObject> {
    return call(() => this.coordination.createNamespacedLease({ namespace, body: toV1Lease(lease) }));
  }

  replaceLease(namespace: string, name: string, lease: LeaseObject): Promise<LeaseObject> {
    return call(() => this.coordination.replaceNamespacedLease({ namespace, name, body: toV1Lease(lease) }));
  }
}

/**
 * Lease times are MicroTime: the API server parses them with six fractional digits, which
 * client-node only writes for V1MicroTime values (plain strings would pass through untouched).
 */
function toV1Lease(lease: LeaseObject): V1Lease {
  const { acquireTime, renewTime, ...spec } = lease.spec ?? {};
  return {
    ...lease,
    spec: {
      ...spec,
      ...(acquireTime ? { acquireTime: new V1MicroTime(acquireTime) } : {}),
      ...(renewTime ? { renewTime: new V1MicroTime(renewTime) } : {}),
    },
  } as V1Lease;
}

async function call<T>(request: () => Promise<unknown>): Promise<T> {
  try {
    return plain(await request()) as T;
  } catch (error) {
    throw toKubeApiError(error);
  }
}

async function read<T>(request: () => Promise<unknown>): Promise<T | undefined> {
  try {
    return await call<T>(request);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Dates become RFC 3339 strings, as the API server sent them. */
export function plain(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}
