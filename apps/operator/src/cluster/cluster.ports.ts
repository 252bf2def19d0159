import type { ModelDeployment } from '@focal/contracts';
import type {
  DeploymentObject,
  EventObject,
  LeaseObject,
  PodObject,
  ScaleObject,
  ServiceObject,
} from './kube-objects.js';

/**
 * What the operator needs from the Kubernetes API, in small interfaces so each part depends on
 * only its slice. Reads answer undefined for a missing object; every other failure is a
 * KubeApiError (kube-api.error.ts). `kubernetes/kube-resources.client.ts` implements them all.
 */

export interface ModelDeploymentApi {
  getModelDeployment(namespace: string, name: string): Promise<ModelDeployment | undefined>;
  /** Every ModelDeployment in a namespace, or in all of them when namespace is undefined. */
  listModelDeployments(namespace: string | undefined): Promise<ModelDeployment[]>;
  /** PUT to the status subresource; metadata.resourceVersion makes it conditional (409 when stale). */
  replaceModelDeploymentStatus(md: ModelDeployment): Promise<ModelDeployment>;
}

export interface DeploymentApi {
  getDeployment(namespace: string, name: string): Promise<DeploymentObject | undefined>;
  createDeployment(namespace: string, deployment: DeploymentObject): Promise<DeploymentObject>;
  replaceDeployment(namespace: string, name: string, deployment: DeploymentObject): Promise<DeploymentObject>;
}

export interface ServiceApi {
  getService(namespace: string, name: string): Promise<ServiceObject | undefined>;
  createService(namespace: string, service: ServiceObject): Promise<ServiceObject>;
  replaceService(namespace: string, name: string, service: ServiceObject): Promise<ServiceObject>;
}

/** The model pods are read only: the Deployment controller and the kubelet own them; their status explains a delay. */
export interface PodApi {
  listPods(namespace: string, labelSelector: string): Promise<PodObject[]>;
}

export interface EventApi {
  createEvent(namespace: string, event: EventObject): Promise<void>;
}

export interface LeaseApi {
  getLease(namespace: string, name: string): Promise<LeaseObject | undefined>;
  createLease(namespace: string, lease: LeaseObject): Promise<LeaseObject>;
  /** Conditional on metadata.resourceVersion, so two candidates cannot both win. */
  replaceLease(namespace: string, name: string, lease: LeaseObject): Promise<LeaseObject>;
}

/** The ModelDeployment's scale subresource (autoscaling/v1 Scale), as `kubectl scale` uses it. */
export interface ScaleApi {
  getModelDeploymentScale(namespace: string, name: string): Promise<ScaleObject | undefined>;
  /** Conditional on metadata.resourceVersion (409 when stale). */
  replaceModelDeploymentScale(namespace: string, name: string, scale: ScaleObject): Promise<ScaleObject>;
}

/** A pod the autoscaler scrapes: only running pods with an IP are listed. */
export interface PodAddress {
  name: string;
  ip: string;
}

export interface PodAddressApi {
  listPodAddresses(namespace: string, labelSelector: string): Promise<PodAddress[]>;
}

export type ReconcilerApi = ModelDeploymentApi & DeploymentApi & ServiceApi & PodApi;

export type AutoscalerApi = ModelDeploymentApi & ScaleApi & PodAddressApi;

export type KubeResources = ReconcilerApi & EventApi & LeaseApi & ScaleApi & PodAddressApi;

export type WatchEventType = 'add' | 'update' | 'delete';

/** A list-then-watch of one resource that reconnects by itself until stopped. */
export interface ResourceWatch<T> {
  onEvent(handler: (type: WatchEventType, object: T) => void): void;
  /** A failed list or watch; the watch retries on its own after a backoff. */
  onError(handler: (error: unknown) => void): void;
  /** Resolves once the first list was attempted and the watch is open (or its retry scheduled). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Where a watch looks: one namespace, or all namespaces when undefined. */
export interface WatchScope {
  namespace: string | undefined;
}

export interface WatchFactory {
  modelDeployments(scope: WatchScope): ResourceWatch<ModelDeployment>;
  deployments(scope: WatchScope, labelSelector: string): ResourceWatch<DeploymentObject>;
  services(scope: WatchScope, labelSelector: string): ResourceWatch<ServiceObject>;
  pods(scope: WatchScope, labelSelector: string): ResourceWatch<PodObject>;
}

/** Everything the kubernetes/ adapters provide. */
export interface KubeAdapters {
  resources: KubeResources;
  watches: WatchFactory;
  /** The API server URL, for logs. */
  server: string;
}
