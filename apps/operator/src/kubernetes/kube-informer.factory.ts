import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  makeInformer,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type ListPromise,
} from '@kubernetes/client-node';
import {
  MODEL_DEPLOYMENT_GROUP,
  MODEL_DEPLOYMENT_PLURAL,
  MODEL_DEPLOYMENT_VERSION,
  type ModelDeployment,
} from '@focal/contracts';
import type { ResourceWatch, WatchEventType, WatchFactory, WatchScope } from '../cluster/cluster.ports.js';
import type { DeploymentObject, PodObject, ServiceObject } from '../cluster/kube-objects.js';
import { toKubeApiError } from './kube-error.mapper.js';
import { plain } from './kube-resources.client.js';

export interface InformerRetry {
  initialMs: number;
  maxMs: number;
}

const DEFAULT_RETRY: InformerRetry = { initialMs: 500, maxMs: 30_000 };

/** client-node informers (list, then watch from the list's resourceVersion, relist after 410). */
export class KubeInformerFactory implements WatchFactory {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly custom: CustomObjectsApi;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly retry: InformerRetry = DEFAULT_RETRY,
  ) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
  }

  modelDeployments({ namespace }: WatchScope): ResourceWatch<ModelDeployment> {
    const md = { group: MODEL_DEPLOYMENT_GROUP, version: MODEL_DEPLOYMENT_VERSION, plural: MODEL_DEPLOYMENT_PLURAL };
    const base = `/apis/${md.group}/${md.version}`;
    const path = namespace === undefined ? `${base}/${md.plural}` : `${base}/namespaces/${namespace}/${md.plural}`;
    const list = () =>
      (namespace === undefined
        ? this.custom.listClusterCustomObject(md)
        : this.custom.listNamespacedCustomObject({ ...md, namespace })) as Promise<
        KubernetesListObject<KubernetesObject>
      >;
    return this.watch(path, list);
  }

  deployments({ namespace }: WatchScope, labelSelector: string): ResourceWatch<DeploymentObject> {
    const path =
      namespace === undefined ? '/apis/apps/v1/deployments' : `/apis/apps/v1/namespaces/${namespace}/deployments`;
    const list = () =>
      namespace === undefined
        ? this.apps.listDeploymentForAllNamespaces({ labelSelector })
        : this.apps.listNamespacedDeployment({ namespace, labelSelector });
    return this.watch(path, list, labelSelector);
  }

  services({ namespace }: WatchScope, labelSelector: string): ResourceWatch<ServiceObject> {
    const path = namespace === undefined ? '/api/v1/services' : `/api/v1/namespaces/${namespace}/services`;
    const list = () =>
      namespace === undefined
        ? this.core.listServiceForAllNamespaces({ labelSelector })
        : this.core.listNamespacedService({ namespace, labelSelector });
    return this.watch(path, list, labelSelector);
  }

  pods({ namespace }: WatchScope, labelSelector: string): ResourceWatch<PodObject> {
    const path = namespace === undefined ? '/api/v1/pods' : `/api/v1/namespaces/${namespace}/pods`;
    const list = () =>
      namespace === undefined
        ? this.core.listPodForAllNamespaces({ labelSelector })
        : this.core.listNamespacedPod({ namespace, labelSelector });
    return this.watch(path, list, labelSelector);
  }

  private watch<T>(path: string, list: ListPromise<KubernetesObject>, labelSelector?: string): ResourceWatch<T> {
    return new InformerWatch<T>(makeInformer(this.kubeConfig, path, list, labelSelector), this.retry);
  }
}

/**
 * An informer that restarts itself: client-node's informer gives up after a failed list or a
 * watch that ends in an error (it only reconnects by itself after a clean close or a 410), so a
 * controller built on it would go deaf after one API server hiccup.
 */
class InformerWatch<T> implements ResourceWatch<T> {
  private readonly eventHandlers: Array<(type: WatchEventType, object: T) => void> = [];
  private readonly errorHandlers: Array<(error: unknown) => void> = [];
  private stopped = true;
  private delayMs: number;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    private readonly informer: Informer<KubernetesObject>,
    private readonly retry: InformerRetry,
  ) {
    this.delayMs = retry.initialMs;
    for (const type of ['add', 'update', 'delete'] as const) {
      informer.on(type, (object) => this.emit(type, object));
    }
    informer.on('error', (error: unknown) => this.failed(error));
  }

  onEvent(handler: (type: WatchEventType, object: T) => void): void {
    this.eventHandlers.push(handler);
  }

  onError(handler: (error: unknown) => void): void {
    this.errorHandlers.push(handler);
  }

  /** Never rejects: a failure to start is retried like any other watch failure. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.informer.start().catch((error: unknown) => this.failed(error));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.informer.stop();
  }

  private emit(type: WatchEventType, object: KubernetesObject): void {
    if (this.stopped) return;
    this.delayMs = this.retry.initialMs;
    const value = plain(object) as T;
    for (const handler of this.eventHandlers) handler(type, value);
  }

  private failed(error: unknown): void {
    if (this.stopped) return;
    for (const handler of this.errorHandlers) handler(toKubeApiError(error));
    if (this.retryTimer) return;
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.retry.maxMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopped) void this.informer.start().catch((error: unknown) => this.failed(error));
    }, delay);
  }
}
