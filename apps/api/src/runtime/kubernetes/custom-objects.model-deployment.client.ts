import {
  ApiException,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  Watch,
  setHeaderOptions,
} from '@kubernetes/client-node';
import {
  MODEL_DEPLOYMENT_GROUP,
  MODEL_DEPLOYMENT_PLURAL,
  MODEL_DEPLOYMENT_VERSION,
  type ModelDeployment,
  type ModelDeploymentList,
} from '@focal/contracts';
import { ModelDeploymentApiError } from './model-deployment-api.error.js';
import type {
  ModelDeploymentClient,
  ModelDeploymentEvent,
  ModelDeploymentSpecPatch,
  ModelDeploymentWatch,
} from './model-deployment.client.js';

/**
 * client-node 1.x sends every PATCH as a JSON patch (the first type its generated code lists);
 * this per-call option swaps the Content-Type so the body is read as a merge patch.
 */
const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/**
 * The API server ends a watch after this long, like client-go's reflector, so a connection that
 * died silently (no FIN, e.g. a dropped NAT entry) is replaced instead of leaving the cache stale.
 */
const WATCH_TIMEOUT_SECONDS = 290;

interface KubeStatusBody {
  kind?: string;
  code?: number;
  reason?: string;
  message?: string;
}

/** ModelDeploymentClient over client-node's CustomObjectsApi and Watch. */
export class CustomObjectsModelDeploymentClient implements ModelDeploymentClient {
  private readonly api: CustomObjectsApi;
  private readonly watcher: Watch;
  private readonly collectionPath: string;

  constructor(
    kubeConfig: KubeConfig,
    readonly namespace: string,
  ) {
    this.api = kubeConfig.makeApiClient(CustomObjectsApi);
    this.watcher = new Watch(kubeConfig);
    this.collectionPath = `/apis/${MODEL_DEPLOYMENT_GROUP}/${MODEL_DEPLOYMENT_VERSION}/namespaces/${encodeURIComponent(namespace)}/${MODEL_DEPLOYMENT_PLURAL}`;
  }

  /**
   * In a pod: the service account. Elsewhere: KUBECONFIG or ~/.kube/config, which client-node reads
   * itself; that is how tests point the API at a fake API server.
   */
  static fromDefaultKubeConfig(namespace: string): CustomObjectsModelDeploymentClient {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromDefault();
    return new CustomObjectsModelDeploymentClient(kubeConfig, namespace);
  }

  async list(): Promise<{ items: ModelDeployment[]; resourceVersion: string }> {
    const list = (await this.call(() =>
      this.api.listNamespacedCustomObject({ ...this.resource(), namespace: this.namespace }),
    )) as ModelDeploymentList;
    return { items: list.items ?? [], resourceVersion: list.metadata?.resourceVersion ?? '' };
  }

  async get(name: string): Promise<ModelDeployment | undefined> {
    try {
      return (await this.call(() =>
        this.api.getNamespacedCustomObject({ ...this.resource(), namespace: this.namespace, name }),
      )) as ModelDeployment;
    } catch (error) {
      if (error instanceof ModelDeploymentApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  async create(body: ModelDeployment): Promise<ModelDeployment> {
    return (await this.call(() =>
      this.api.createNamespacedCustomObject({ ...this.resource(), namespace: this.namespace, body }),
    )) as ModelDeployment;
  }

  async patchSpec(name: string, spec: ModelDeploymentSpecPatch): Promise<ModelDeployment> {
    return (await this.call(() =>
      this.api.patchNamespacedCustomObject(
        { ...this.resource(), namespace: this.namespace, name, body: { spec } },
        MERGE_PATCH,
      ),
    )) as ModelDeployment;
  }

  async watch(
    resourceVersion: string,
    onEvent: (event: ModelDeploymentEvent) => void,
    onEnd: (error: Error | null) => void,
  ): Promise<ModelDeploymentWatch> {
    let ended = false;
    let controller: AbortController | undefined;
    // client-node reports both a mid-stream ERROR event and the close that follows it; the port promises one end.
    const end = (error: Error | null) => {
      if (ended) return;
      ended = true;
      controller?.abort();
      onEnd(error);
    };
    const query = {
      resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: WATCH_TIMEOUT_SECONDS,
    };
    try {
      controller = await this.watcher.watch(
        this.collectionPath,
        query,
        (type: string, object: unknown) => {
          if (ended) return;
          if (type === 'ERROR') {
            const status = object as KubeStatusBody;
            end(new ModelDeploymentApiError(status.code ?? 500, status.message ?? 'watch failed', status.reason));
          } else if (type === 'BOOKMARK') {
            const version = (object as ModelDeployment).metadata?.resourceVersion;
            if (version) onEvent({ type, resourceVersion: version });
          } else if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') {
            onEvent({ type, object: object as ModelDeployment });
          }
        },
        (error: unknown) => end(error ? toApiError(error) : null),
      );
    } catch (error) {
      end(toApiError(error));
    }
    if (ended) controller?.abort();
    return {
      stop: () => {
        ended = true;
        controller?.abort();
      },
    };
  }

  private resource() {
    return { group: MODEL_DEPLOYMENT_GROUP, version: MODEL_DEPLOYMENT_VERSION, plural: MODEL_DEPLOYMENT_PLURAL };
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw toApiError(error);
    }
  }
}

/** client-node throws ApiException with the raw Status JSON as its body, or a fetch error without a response. */
function toApiError(error: unknown): ModelDeploymentApiError {
  if (error instanceof ModelDeploymentApiError) return error;
  if (error instanceof ApiException) {
    const status = parseStatus(error.body);
    return new ModelDeploymentApiError(error.code, status?.message ?? error.message, status?.reason);
  }
  const statusCode = (error as { statusCode?: unknown }).statusCode;
  if (typeof statusCode === 'number') return new ModelDeploymentApiError(statusCode, (error as Error).message);
  return new ModelDeploymentApiError(0, error instanceof Error ? error.message : String(error));
}

function parseStatus(body: unknown): KubeStatusBody | undefined {
  if (typeof body === 'object' && body !== null) return body as KubeStatusBody;
  if (typeof body !== 'string' || body === '') return undefined;
  try {
    return JSON.parse(body) as KubeStatusBody;
  } catch {
    return { message: body };
  }
}
