import type { PodEndpoint } from './pod-balancer.js';

export const MODEL_PODS_SOURCE = Symbol('MODEL_PODS_SOURCE');

/** The model pods the API can route to, kept current by a watch (KubeAI's load balancer reads Pods too). */
export interface ModelPodsSource {
  start(): Promise<void>;
  stop(): void;
  /** Ready pods of one ModelDeployment (its app.kubernetes.io/instance label), by pod IP. */
  ready(instance: string): PodEndpoint[];
  /** Resolves on the next change to any model pod. */
  changed(): Promise<void>;
}
