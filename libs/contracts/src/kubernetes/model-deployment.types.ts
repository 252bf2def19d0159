import type { ModelType } from '../models/model-type.js';
import type { ObjectMeta, OwnerReference } from './object-meta.types.js';

/**
 * The ModelDeployment custom resource as plain data, mirroring crds/modeldeployments.focal.dev.yaml.
 * Kept free of @kubernetes/client-node so the API, the operator and tests can share it; the CRD
 * schema test checks that the enums below match the CRD.
 */

export const MODEL_DEPLOYMENT_GROUP = 'focal.dev';
export const MODEL_DEPLOYMENT_VERSION = 'v1alpha1';
export const MODEL_DEPLOYMENT_API_VERSION = `${MODEL_DEPLOYMENT_GROUP}/${MODEL_DEPLOYMENT_VERSION}` as const;
export const MODEL_DEPLOYMENT_KIND = 'ModelDeployment';
export const MODEL_DEPLOYMENT_LIST_KIND = 'ModelDeploymentList';
export const MODEL_DEPLOYMENT_PLURAL = 'modeldeployments';
export const MODEL_DEPLOYMENT_SINGULAR = 'modeldeployment';
export const MODEL_DEPLOYMENT_SHORT_NAMES = ['md'] as const;
export const MODEL_DEPLOYMENT_CRD_NAME = `${MODEL_DEPLOYMENT_PLURAL}.${MODEL_DEPLOYMENT_GROUP}` as const;

export const MODEL_DEVICES = ['cuda', 'cpu'] as const;
export type ModelDevice = (typeof MODEL_DEVICES)[number];

/** Defaults the API server applies from the CRD schema when a field is omitted. */
export const MODEL_DEPLOYMENT_DEFAULTS = {
  replicas: 1,
  device: 'cuda',
  maxBatchSize: 1,
  maxDelayMs: 0,
} as const satisfies { replicas: number; device: ModelDevice; maxBatchSize: number; maxDelayMs: number };

export const MODEL_DEPLOYMENT_PHASES = ['Unloaded', 'Pending', 'Loading', 'Ready', 'Degraded', 'Failed'] as const;
export type ModelDeploymentPhase = (typeof MODEL_DEPLOYMENT_PHASES)[number];

export const MODEL_DEPLOYMENT_CONDITION_TYPES = ['Ready', 'Progressing', 'Degraded'] as const;
export type ModelDeploymentConditionType = (typeof MODEL_DEPLOYMENT_CONDITION_TYPES)[number];

export const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;
export type ConditionStatus = (typeof CONDITION_STATUSES)[number];

/** A resource quantity such as "500m", "2Gi" or 1, as core containers accept it. */
export type ResourceQuantity = string | number;

export interface ModelResourceRequirements {
  requests?: Record<string, ResourceQuantity>;
  limits?: Record<string, ResourceQuantity>;
}

export type TolerationOperator = 'Exists' | 'Equal';
export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

/** The core Toleration shape, so it can be copied into a pod spec unchanged. */
export interface ModelToleration {
  key?: string;
  operator?: TolerationOperator;
  value?: string;
  effect?: TaintEffect;
  tolerationSeconds?: number;
}

export interface BatchingSpec {
  /** 1..64; 1 disables batching. */
  maxBatchSize?: number;
  /** 0..1000 milliseconds. */
  maxDelayMs?: number;
}

export interface EmptyDirCache {
  emptyDir: { sizeLimit?: ResourceQuantity };
  pvc?: never;
}

export interface PvcCache {
  pvc: { claimName: string };
  emptyDir?: never;
}

/** Exactly one of emptyDir or pvc; the CRD enforces this with oneOf. */
export type ModelCacheSpec = EmptyDirCache | PvcCache;

export interface SecretKeyReference {
  name: string;
  key: string;
}

/** Defaults the API server applies inside spec.autoscaling. */
export const AUTOSCALING_DEFAULTS = {
  minReplicas: 0,
  targetInFlight: 1,
  scaleDownDelaySeconds: 30,
} as const;

/** Replicas follow the in-flight requests the API pods report (the operator's autoscaler). */
export interface AutoscalingSpec {
  /** 0..maxReplicas; 0 lets an idle model scale to zero. Defaults to 0. */
  minReplicas?: number;
  maxReplicas: number;
  /** Requests in flight per replica aimed at. Defaults to 1. */
  targetInFlight?: number;
  /** How long the load must stay lower before a scale-down. Defaults to 30. */
  scaleDownDelaySeconds?: number;
}

export const AUTOSCALING_REASONS = ['ScaledUp', 'ScaledDown', 'ScaledToZero', 'OutOfRange'] as const;
export type AutoscalingReason = (typeof AUTOSCALING_REASONS)[number];

/** The autoscaler's last decision. */
export interface AutoscalingStatus {
  desiredReplicas: number;
  currentReplicas: number;
  /** Summed over the API pods, averaged over the window. */
  inFlight: number;
  /** RFC 3339; when spec.replicas was last changed by the autoscaler. */
  lastScaleTime?: string;
  reason?: AutoscalingReason;
  message?: string;
}

export interface ModelDeploymentSpec {
  modelType: ModelType;
  /** An hf repo id (org/name) or an hf://, https:// or file:/// URI. */
  modelId: string;
  revision?: string;
  /** 0 means unloaded. Defaults to 1. */
  replicas?: number;
  /** Defaults to cuda. */
  device?: ModelDevice;
  image?: string;
  resources?: ModelResourceRequirements;
  nodeSelector?: Record<string, string>;
  tolerations?: ModelToleration[];
  batching?: BatchingSpec;
  cache?: ModelCacheSpec;
  hfTokenSecret?: SecretKeyReference;
  autoscaling?: AutoscalingSpec;
}

/** A standard metav1.Condition restricted to this resource's condition types. */
export interface ModelDeploymentCondition {
  type: ModelDeploymentConditionType;
  status: ConditionStatus;
  reason: string;
  message: string;
  /** RFC 3339 date-time. */
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface ModelDeploymentStatus {
  phase?: ModelDeploymentPhase;
  replicas?: number;
  readyReplicas?: number;
  /** Label selector of the model pods in string form, read by the scale subresource. */
  selector?: string;
  /** For example http://focal-model-sam3.default.svc:8080. */
  endpoint?: string;
  observedGeneration?: number;
  conditions?: ModelDeploymentCondition[];
  message?: string;
  autoscaling?: AutoscalingStatus;
}

/** Kept as names of their own for readers of the CRD types; they are the shared metav1 shapes. */
export type ModelDeploymentOwnerReference = OwnerReference;
export type ModelDeploymentMetadata = ObjectMeta;

export interface ModelDeployment {
  apiVersion: typeof MODEL_DEPLOYMENT_API_VERSION;
  kind: typeof MODEL_DEPLOYMENT_KIND;
  metadata: ModelDeploymentMetadata;
  spec: ModelDeploymentSpec;
  status?: ModelDeploymentStatus;
}

export interface ModelDeploymentList {
  apiVersion: typeof MODEL_DEPLOYMENT_API_VERSION;
  kind: typeof MODEL_DEPLOYMENT_LIST_KIND;
  metadata: { resourceVersion?: string; continue?: string };
  items: ModelDeployment[];
}
