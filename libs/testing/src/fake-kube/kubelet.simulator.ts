import { isJsonObject, kubeTimestamp, type JsonObject, type KubeObject } from './kube-object.js';
import { KubeApiError } from './kube-status.js';
import type { ResourceOperations } from './resource.operations.js';
import type { ResourceType } from './resource-type.js';
import type { WatchHub } from './watch.hub.js';

/** Deployment status fields the deployment controller and kubelets maintain together. */
export interface DeploymentStatusFields {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: JsonObject[];
  [field: string]: unknown;
}

/**
 * Stands in for the deployment controller and the kubelets, which do not exist here: tests set
 * Deployment status directly, or let every Deployment become ready shortly after each change.
 */
export class KubeletSimulator {
  private stopAuto?: () => void;

  constructor(
    private readonly operations: ResourceOperations,
    private readonly deployments: ResourceType,
    private readonly hub: WatchHub,
  ) {}

  /** Merges fields into the Deployment's status through the status subresource. */
  setDeploymentStatus(namespace: string, name: string, fields: DeploymentStatusFields): KubeObject {
    const current = this.operations.get(this.deployments, namespace, name);
    const status = { ...(isJsonObject(current.status) ? current.status : {}), ...fields };
    return this.operations.update(this.deployments, namespace, name, { ...current, status }, { subresource: 'status' });
  }

  /**
   * Reports every desired replica ready and available for the current generation. Zero counts are
   * left out, as the real controller's omitempty fields are.
   */
  markDeploymentReady(namespace: string, name: string): KubeObject {
    const current = this.operations.get(this.deployments, namespace, name);
    const replicas =
      isJsonObject(current.spec) && typeof current.spec.replicas === 'number' ? current.spec.replicas : 1;
    const counts =
      replicas > 0 ? { replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas } : {};
    const status = { observedGeneration: current.metadata.generation, ...counts, conditions: readyConditions() };
    return this.operations.update(this.deployments, namespace, name, { ...current, status }, { subresource: 'status' });
  }

  /** When on, each Deployment whose status lags its generation is marked ready on the next turn of the event loop. */
  autoReady(enabled: boolean): void {
    this.stopAuto?.();
    this.stopAuto = undefined;
    if (!enabled) return;
    this.stopAuto = this.hub.observe((event) => {
      if (event.storageKey !== 'deployments.apps' || event.type === 'DELETED') return;
      const { namespace, name, generation } = event.object.metadata;
      const status = isJsonObject(event.object.status) ? event.object.status : {};
      if (status.observedGeneration !== generation) setImmediate(() => this.markQuietly(namespace ?? '', name ?? ''));
    });
  }

  private markQuietly(namespace: string, name: string): void {
    try {
      this.markDeploymentReady(namespace, name);
    } catch (error) {
      if (!(error instanceof KubeApiError)) throw error;
    }
  }
}

function readyConditions(): JsonObject[] {
  const now = kubeTimestamp();
  return [
    {
      type: 'Available',
      status: 'True',
      reason: 'MinimumReplicasAvailable',
      message: 'Deployment has minimum availability.',
      lastUpdateTime: now,
      lastTransitionTime: now,
    },
    {
      type: 'Progressing',
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: 'ReplicaSet has successfully progressed.',
      lastUpdateTime: now,
      lastTransitionTime: now,
    },
  ];
}
