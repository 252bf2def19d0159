import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import type { ApiConfig } from '@focal/config';
import {
  ConflictError,
  FocalError,
  MODEL_DEPLOYMENT_API_VERSION,
  MODEL_DEPLOYMENT_KIND,
  type ModelDeployment,
  type ModelType,
  ModelUnavailableError,
  UpstreamError,
} from '@focal/contracts';
import { API_CONFIG } from '../../config/api-config.token.js';
import { INFERENCE_CLIENT, type InferenceClient } from '../inference.client.js';
import type { DispatchOptions, EndpointCall } from '../model-dispatch.js';
import type { ModelRuntime, ModelSpec, RuntimeModelStatus } from '../model-runtime.port.js';
import { ModelDeploymentApiError, isApiError } from './model-deployment-api.error.js';
import { ModelDeploymentCache } from './model-deployment.cache.js';
import {
  MODEL_DEPLOYMENT_CLIENT,
  type ModelDeploymentClient,
  type ModelDeploymentSpecPatch,
} from './model-deployment.client.js';
import {
  describeProgress,
  desiredReplicas,
  deviceOf,
  failureReason,
  hasObserved,
  stateOf,
  toRuntimeStatus,
} from './model-deployment-status.mapper.js';
import { MODEL_TYPE_LABEL, modelDeploymentName, selectModelDeployment } from './model-deployment.selector.js';
import { MODEL_PODS_SOURCE, type ModelPodsSource } from './model-pods.source.js';
import { PodRouter } from './pod.router.js';
import { serviceEndpoint } from './service-endpoint.js';

/** Raised inside load() when its time is up; turned into a ModelUnavailableError with the reason. */
class DeadlineExceeded extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What changed on the cluster to serve a load, and the spec generation the operator must act on. */
interface Applied {
  md: ModelDeployment;
  generation: number;
}

/**
 * Models as ModelDeployments: loading scales one up (creating it when the type has none) and waits
 * for the operator to report it Ready and its Service to answer /readyz; unloading scales it to 0.
 * ModelDeployments users apply with kubectl count exactly like the API's own. The cluster owns the
 * pods, so this runtime keeps no state of its own beyond a watched copy of the ModelDeployments.
 */
@Injectable()
export class KubernetesRuntime implements ModelRuntime, OnModuleInit, OnApplicationShutdown {
  readonly kind = 'kubernetes' as const;
  private readonly logger = new Logger('KubernetesRuntime');
  private readonly cache: ModelDeploymentCache;
  /** ModelDeployments whose ready pod serves another family, by name, for the generation that was checked. */
  private readonly refused = new Map<string, { generation: number; error: string }>();
  /** Set when FOCAL_K8S_ROUTING=pods: requests go to pod IPs instead of the Service. */
  private readonly router: PodRouter | undefined;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(MODEL_DEPLOYMENT_CLIENT) private readonly client: ModelDeploymentClient,
    @Inject(INFERENCE_CLIENT) private readonly inference: InferenceClient,
    @Optional() @Inject(MODEL_PODS_SOURCE) private readonly pods?: ModelPodsSource,
  ) {
    this.cache = new ModelDeploymentCache(client, config.kubernetes.pollMs);
    this.router = pods ? new PodRouter(pods) : undefined;
  }

  onModuleInit(): void {
    // Not awaited: the API serves /health and answers from the API server directly until the watches are up.
    void this.cache.start();
    void this.pods
      ?.start()
      .catch((error: Error) => this.logger.warn({ msg: 'pod watch did not start', error: error.message }));
  }

  /**
   * Pod routing: a ready pod of the type's ModelDeployment, held until one is ready (under the
   * deadline) and retried once elsewhere if the pod vanished. Service routing: the Service URL.
   */
  async dispatch<T>(model: RuntimeModelStatus, options: DispatchOptions, call: EndpointCall<T>): Promise<T> {
    if (!this.router) return call(model.endpoint as string);
    const { chosen } = selectModelDeployment(model.modelType, await this.read(() => this.cache.list()));
    if (!chosen) throw new ModelUnavailableError(`Model ${model.modelType} has no ModelDeployment any more`);
    return this.router.dispatch(chosen.metadata.name ?? '', options, call);
  }

  /**
   * The cluster owns the pods: a pod that stopped answering is restarted by its kubelet and dropped from
   * the ready set by the Pod watch. Here we only tell whether it still answers.
   */
  async replicaFailed(_model: RuntimeModelStatus, endpoint: string): Promise<boolean> {
    return !(await this.inference.isReady(endpoint));
  }

  async load(type: ModelType, spec: ModelSpec, timeoutMs: number): Promise<RuntimeModelStatus> {
    const deadline = Date.now() + timeoutMs;
    let applied: Applied | undefined;
    try {
      applied = await this.beforeDeadline(this.apply(type, spec), deadline);
      return await this.waitReady(type, applied, deadline);
    } catch (error) {
      if (!(error instanceof DeadlineExceeded)) throw error;
      const where = applied ? `ModelDeployment ${this.qualified(applied.md)}: ` : '';
      throw new ModelUnavailableError(
        `Model ${type} did not become ready within ${timeoutMs} ms: ${where}${error.message || 'the Kubernetes API did not answer'}`,
      );
    }
  }

  async unload(type: ModelType): Promise<boolean> {
    const { chosen, others } = selectModelDeployment(type, await this.read(() => this.cache.list()));
    // Every ModelDeployment of the type: leaving a second one up would keep the type "ready" after an unload.
    const running = [...(chosen ? [chosen] : []), ...others].filter((md) => desiredReplicas(md) > 0);
    await Promise.all(
      running.map(async (md) => {
        const name = md.metadata.name ?? '';
        const patched = await this.write(() => this.client.patchSpec(name, { replicas: 0 }), `scale ${name} to 0`);
        this.cache.record(patched);
        this.logger.log({ msg: 'scaled ModelDeployment to 0', model_type: type, name });
      }),
    );
    return running.length > 0;
  }

  async status(type: ModelType): Promise<RuntimeModelStatus> {
    const { chosen, others } = selectModelDeployment(type, await this.read(() => this.cache.list()));
    const status = toRuntimeStatus(type, chosen, chosen ? this.endpointOf(chosen) : '', others);
    const refused = chosen ? this.refused.get(chosen.metadata.name ?? '') : undefined;
    if (!refused || refused.generation !== (chosen?.metadata.generation ?? 0)) return status;
    return { ...status, state: 'failed', error: refused.error, endpoint: null };
  }

  /** Stops watching. Models keep running: the cluster owns them, and other API replicas may be serving them. */
  async shutdown(): Promise<void> {
    this.cache.stop();
    this.pods?.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.shutdown();
  }

  /** Makes the type's ModelDeployment ask for the spec with at least one replica, creating it if the type has none. */
  private async apply(type: ModelType, spec: ModelSpec): Promise<Applied> {
    const { chosen } = selectModelDeployment(type, await this.read(() => this.cache.list()));
    if (!chosen) return this.create(type, spec);
    try {
      return await this.patchToSpec(type, chosen, spec);
    } catch (error) {
      // Deleted since our read: there is none any more, so make one.
      if (isApiError(error, 404)) return this.create(type, spec);
      throw this.focalError(error, `update ModelDeployment ${this.qualified(chosen)}`);
    }
  }

  private async create(type: ModelType, spec: ModelSpec): Promise<Applied> {
    const name = modelDeploymentName(type);
    const body: ModelDeployment = {
      apiVersion: MODEL_DEPLOYMENT_API_VERSION,
      kind: MODEL_DEPLOYMENT_KIND,
      metadata: {
        name,
        labels: { [MODEL_TYPE_LABEL]: type, 'app.kubernetes.io/managed-by': 'focal-api' },
      },
      spec: { modelType: type, modelId: spec.modelId, device: spec.device, replicas: 1 },
    };
    try {
      const md = await this.client.create(body);
      this.cache.record(md);
      this.logger.log({
        msg: 'created ModelDeployment',
        model_type: type,
        name,
        model_id: spec.modelId,
        device: spec.device,
      });
      return { md, generation: md.metadata.generation ?? 1 };
    } catch (error) {
      if (!isApiError(error, 409))
        throw this.focalError(error, `create ModelDeployment ${this.client.namespace}/${name}`);
    }
    // Created since our read (another API replica, or a user): use it if it serves this type.
    const existing = await this.write(() => this.client.get(name), `read ModelDeployment ${name}`);
    if (existing?.spec.modelType !== type) {
      throw new ConflictError(
        `ModelDeployment ${this.client.namespace}/${name} exists but serves ${existing?.spec.modelType ?? 'another model type'}; ` +
          `rename it so the API can create ${name} for ${type}`,
      );
    }
    return this.write(() => this.patchToSpec(type, existing, spec), `update ModelDeployment ${name}`);
  }

  /** A merge patch of only what differs, so a load that changes nothing writes nothing. */
  private async patchToSpec(type: ModelType, md: ModelDeployment, spec: ModelSpec): Promise<Applied> {
    const patch: ModelDeploymentSpecPatch = {};
    if (desiredReplicas(md) < 1) patch.replicas = 1;
    if (md.spec.modelId !== spec.modelId) patch.modelId = spec.modelId;
    if (deviceOf(md) !== spec.device) patch.device = spec.device;
    if (Object.keys(patch).length === 0) return { md, generation: md.metadata.generation ?? 1 };
    const name = md.metadata.name ?? '';
    const patched = await this.client.patchSpec(name, patch);
    this.cache.record(patched);
    this.logger.log({ msg: 'patched ModelDeployment', model_type: type, name, ...patch });
    return { md: patched, generation: patched.metadata.generation ?? 1 };
  }

  /**
   * Waits for the operator to report the spec we asked for (observedGeneration) Ready with a ready
   * pod, then for the Service to answer /readyz from here: the operator's view says the pods are
   * ready, the probe says this API can actually reach them.
   */
  private async waitReady(type: ModelType, applied: Applied, deadline: number): Promise<RuntimeModelStatus> {
    const name = applied.md.metadata.name ?? '';
    let md = applied.md;
    let probeNote = '';
    for (;;) {
      // Taken before the read, so a change that lands between the read and the wait still wakes us.
      const changed = this.cache.changed();
      const current = await this.beforeDeadline(
        this.read(() => this.cache.get(name)),
        deadline,
        () => describeProgress(md, applied.generation),
      );
      if (!current)
        throw new ModelUnavailableError(`ModelDeployment ${this.qualified(md)} was deleted while loading ${type}`);
      md = current;
      if (desiredReplicas(md) === 0) {
        throw new ModelUnavailableError(`ModelDeployment ${this.qualified(md)} was scaled to 0 while loading ${type}`);
      }
      if (hasObserved(md, applied.generation)) {
        if (md.status?.phase === 'Failed') {
          throw new ModelUnavailableError(
            `Model ${type} failed to load (ModelDeployment ${this.qualified(md)}): ${failureReason(md)}`,
          );
        }
        if (stateOf(md) === 'ready') {
          const endpoint = this.endpointOf(md);
          if (endpoint && (await this.inference.isReady(endpoint))) {
            await this.checkFamily(type, md, endpoint);
            this.logger.log({ msg: 'model ready', model_type: type, name, endpoint });
            return this.status(type);
          }
          probeNote = this.router
            ? endpoint
              ? `; its pod at ${endpoint} does not answer /readyz`
              : '; no pod of it is ready yet'
            : `; its Service at ${endpoint} does not answer /readyz`;
        } else {
          probeNote = '';
        }
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new DeadlineExceeded(describeProgress(md, applied.generation) + probeNote);
      // Watch events wake us at once; the poll re-probes /readyz and covers a watch that is down.
      const podsChanged = this.pods?.changed() ?? new Promise<void>(() => undefined);
      await Promise.race([changed, podsChanged, sleep(Math.min(this.config.kubernetes.pollMs, remaining))]);
    }
  }

  /**
   * A ready pod must serve the family the ModelDeployment names: a wrong image or FOCAL_MODEL_TYPE
   * would otherwise answer every request of this type with another model's pipeline.
   */
  private async checkFamily(type: ModelType, md: ModelDeployment, endpoint: string): Promise<void> {
    const name = md.metadata.name ?? '';
    const info = await this.inference.info(endpoint);
    if (info.model_type === type) {
      this.refused.delete(name);
      return;
    }
    const error =
      `Model ${type}: the pod at ${endpoint} of ModelDeployment ${this.qualified(md)} serves ${info.model_type}, ` +
      `not ${type}; check the image and the worker's FOCAL_MODEL_TYPE`;
    // Until the spec changes, status reports it failed, so no request is routed to the wrong family.
    this.refused.set(name, { generation: md.metadata.generation ?? 0, error });
    throw new ModelUnavailableError(error);
  }

  private endpointOf(md: ModelDeployment): string {
    if (this.router) return this.router.anyReady(md.metadata.name ?? '') ?? '';
    const { serviceUrlTemplate, modelServicePort } = this.config.kubernetes;
    return serviceEndpoint(
      serviceUrlTemplate,
      md.metadata.name ?? '',
      md.metadata.namespace ?? this.client.namespace,
      modelServicePort,
    );
  }

  private qualified(md: ModelDeployment): string {
    return `${md.metadata.namespace ?? this.client.namespace}/${md.metadata.name ?? ''}`;
  }

  /** Rejects with DeadlineExceeded when the time is up first; client-node requests have no timeout of their own. */
  private beforeDeadline<T>(work: Promise<T>, deadline: number, reason: () => string = () => ''): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeadlineExceeded(reason())), Math.max(0, deadline - Date.now()));
    });
    return Promise.race([work, expired]).finally(() => clearTimeout(timer));
  }

  private async read<T>(call: () => Promise<T>): Promise<T> {
    return this.write(call, `read ModelDeployments in namespace ${this.client.namespace}`);
  }

  private async write<T>(call: () => Promise<T>, action: string): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.focalError(error, action);
    }
  }

  private focalError(error: unknown, action: string): Error {
    if (error instanceof FocalError || error instanceof DeadlineExceeded) return error;
    if (error instanceof ModelDeploymentApiError) return error.toFocalError(`could not ${action}`);
    return new UpstreamError(`could not ${action}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
