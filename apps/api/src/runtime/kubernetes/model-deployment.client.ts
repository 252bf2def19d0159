import type { ModelDeployment, ModelDeploymentSpec } from '@focal/contracts';

export const MODEL_DEPLOYMENT_CLIENT = Symbol('MODEL_DEPLOYMENT_CLIENT');

/** The spec fields the API ever changes on a ModelDeployment; everything else belongs to whoever applied it. */
export type ModelDeploymentSpecPatch = Partial<Pick<ModelDeploymentSpec, 'replicas' | 'modelId' | 'device'>>;

export type ModelDeploymentEvent =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: ModelDeployment }
  /** Nothing changed, but the collection has reached this resourceVersion: resume from here. */
  | { type: 'BOOKMARK'; resourceVersion: string };

export interface ModelDeploymentWatch {
  stop(): void;
}

/**
 * ModelDeployments in the one namespace the API serves, as plain data. The Kubernetes runtime
 * depends on this port, so its decisions are testable without a cluster and only the adapter
 * knows @kubernetes/client-node. Failures are thrown as ModelDeploymentApiError.
 */
export interface ModelDeploymentClient {
  readonly namespace: string;
  list(): Promise<{ items: ModelDeployment[]; resourceVersion: string }>;
  /** undefined when there is no such object. */
  get(name: string): Promise<ModelDeployment | undefined>;
  create(body: ModelDeployment): Promise<ModelDeployment>;
  /** A JSON merge patch of `spec`, so fields a user set that are not named here are left alone. */
  patchSpec(name: string, spec: ModelDeploymentSpecPatch): Promise<ModelDeployment>;
  /**
   * Streams changes after `resourceVersion`. Unless stopped, `onEnd` is called exactly once: with null when the
   * server closed the stream normally (resume from the last version seen), or with an error
   * (status 410 when that version is too old and the caller must list again).
   */
  watch(
    resourceVersion: string,
    onEvent: (event: ModelDeploymentEvent) => void,
    onEnd: (error: Error | null) => void,
  ): Promise<ModelDeploymentWatch>;
}
