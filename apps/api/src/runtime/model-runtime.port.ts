import type { Device, ModelState, ModelType } from '@focal/contracts';
import type { DispatchOptions, EndpointCall } from './model-dispatch.js';

export const MODEL_RUNTIME = Symbol('MODEL_RUNTIME');

export interface ModelSpec {
  modelId: string;
  device: Device;
}

/** What a runtime knows about one model type (a local worker process, or a ModelDeployment's pods). */
export interface RuntimeModelStatus {
  modelType: ModelType;
  state: ModelState;
  modelId: string | null;
  device: Device | null;
  requestedDevice: Device | null;
  replicas: number;
  readyReplicas: number;
  error: string | null;
  demo: boolean;
  warnings: string[];
  loadTime: number | null;
  /** Base URL of the model's inference service, when it is ready. */
  endpoint: string | null;
}

/**
 * Where models run. LocalRuntime spawns worker processes; KubernetesRuntime scales ModelDeployments.
 * `load` resolves once the model answers /readyz and rejects with a typed error otherwise;
 * single-flight and auto-load decisions live in ModelManagerService, not here.
 */
export interface ModelRuntime {
  readonly kind: 'local' | 'kubernetes';
  load(type: ModelType, spec: ModelSpec, timeoutMs: number): Promise<RuntimeModelStatus>;
  /** Returns true when something was running (or scaled up) and is now stopped. */
  unload(type: ModelType): Promise<boolean>;
  status(type: ModelType): Promise<RuntimeModelStatus>;
  /** Runs one call against a ready replica of a model that `status` reported ready. */
  dispatch<T>(model: RuntimeModelStatus, options: DispatchOptions, call: EndpointCall<T>): Promise<T>;
  /**
   * A call to `endpoint` (a replica of `model`) failed without a typed answer, or with a 5xx. True when that
   * replica is gone: it then no longer counts as ready, so a retry reaches a fresh or another one. False
   * when it still answers /readyz (the failure was the request's, not the replica's).
   */
  replicaFailed(model: RuntimeModelStatus, endpoint: string): Promise<boolean>;
  shutdown(): Promise<void>;
}

export function unloadedStatus(modelType: ModelType): RuntimeModelStatus {
  return {
    modelType,
    state: 'unloaded',
    modelId: null,
    device: null,
    requestedDevice: null,
    replicas: 0,
    readyReplicas: 0,
    error: null,
    demo: false,
    warnings: [],
    loadTime: null,
    endpoint: null,
  };
}
