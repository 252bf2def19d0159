import {
  type Device,
  MODEL_DEPLOYMENT_DEFAULTS,
  type ModelDeployment,
  type ModelDeploymentCondition,
  type ModelState,
  type ModelType,
} from '@focal/contracts';
import { type RuntimeModelStatus, unloadedStatus } from '../model-runtime.port.js';

/** spec.replicas as the API server defaults it: an omitted count means 1. */
export function desiredReplicas(md: ModelDeployment): number {
  return md.spec.replicas ?? MODEL_DEPLOYMENT_DEFAULTS.replicas;
}

/** spec.device as the API server defaults it. */
export function deviceOf(md: ModelDeployment): Device {
  return md.spec.device ?? MODEL_DEPLOYMENT_DEFAULTS.device;
}

/**
 * Whether the operator's status is about `generation` of the spec or a later one. An operator that
 * does not report observedGeneration is taken at its word.
 */
export function hasObserved(md: ModelDeployment, generation: number): boolean {
  const observed = md.status?.observedGeneration;
  return observed === undefined || observed >= generation;
}

/**
 * The model state a ModelDeployment stands for. Scaled to 0 is unloaded whatever the phase says,
 * since the operator may not have caught up with a `kubectl scale` yet; replicas asked for but
 * not ready (Pending, Loading, or a phase from before the scale-up) is loading.
 */
export function stateOf(md: ModelDeployment): ModelState {
  if (desiredReplicas(md) === 0) return 'unloaded';
  const { phase, readyReplicas = 0 } = md.status ?? {};
  if (phase === 'Failed') return 'failed';
  // Degraded with a ready pod still serves: some replicas are down, not the model.
  if ((phase === 'Ready' || phase === 'Degraded') && readyReplicas >= 1) return 'ready';
  return 'loading';
}

/**
 * Why the operator gave up on a ModelDeployment, for errors and `error` in /models/status, headed by
 * the operator's reason, e.g. "ModelFetchFailed: Pod …: init container fetch-model exited with code 1 (Error): …".
 */
export function failureReason(md: ModelDeployment): string {
  const message = reasonedMessage(md);
  if (message) return message;
  const conditions = notableConditions(md);
  const condition = conditions.find((c) => c.type !== 'Progressing') ?? conditions[0];
  return condition ? conditionText(condition) : `ModelDeployment ${md.metadata.name} is in phase Failed`;
}

/**
 * What a ModelDeployment is waiting for, read from its status: phase, ready pods, the message headed
 * by the operator's reason, and the conditions that explain a delay (Ready not True, Degraded True,
 * Progressing) when they say something else. This is the reason a load timeout gives the caller, e.g.
 * "phase Pending, 0/1 replicas ready; Unschedulable: Pod … cannot be scheduled: 0/1 nodes are available: …".
 */
export function describeProgress(md: ModelDeployment, generation: number): string {
  const status = md.status;
  const parts: string[] = [];
  if (!status?.phase) {
    parts.push('the operator has reported no status yet (is focal-operator running?)');
  } else if (!hasObserved(md, generation)) {
    parts.push(
      `the operator has not acted on generation ${generation} yet (it last observed ${status.observedGeneration}; is focal-operator running?)`,
    );
  } else {
    parts.push(`phase ${status.phase}, ${status.readyReplicas ?? 0}/${desiredReplicas(md)} replicas ready`);
  }
  const message = reasonedMessage(md);
  if (message) parts.push(message);
  for (const condition of notableConditions(md)) {
    if (condition.message !== status?.message || !condition.message) parts.push(conditionText(condition));
  }
  return parts.join('; ');
}

/**
 * The Focal view of one ModelDeployment. `endpoint` is set only when the model is ready, so callers
 * never send requests to a Service with no ready pods. modelId and requestedDevice stay filled in at 0
 * replicas: they are what an auto-load scales back up, so a user's ModelDeployment keeps its model.
 */
export function toRuntimeStatus(
  type: ModelType,
  md: ModelDeployment | undefined,
  endpoint: string,
  others: readonly ModelDeployment[] = [],
): RuntimeModelStatus {
  if (!md) return unloadedStatus(type);
  const state = stateOf(md);
  const device = deviceOf(md);
  const warnings: string[] = [];
  if (others.length > 0) {
    const names = [md, ...others].map((item) => item.metadata.name).join(', ');
    warnings.push(
      `${others.length + 1} ModelDeployments serve ${type} (${names}); this status is ${md.metadata.name}'s`,
    );
  }
  if (state === 'loading' || state === 'ready') {
    for (const condition of notableConditions(md)) {
      if (condition.type === 'Degraded') warnings.push(conditionText(condition));
    }
  }
  return {
    modelType: type,
    state,
    modelId: md.spec.modelId,
    device: state === 'unloaded' ? null : device,
    requestedDevice: device,
    replicas: desiredReplicas(md),
    readyReplicas: md.status?.readyReplicas ?? 0,
    error: state === 'failed' ? failureReason(md) : null,
    demo: md.spec.modelId === 'demo',
    warnings,
    loadTime: null,
    endpoint: state === 'ready' ? endpoint : null,
  };
}

/**
 * The status message, headed by the reason of the not-Ready condition that carries it: the operator
 * writes the Ready condition's message as the status message, and the reason (ModelFetchFailed,
 * Unschedulable, ImagePullFailed, …) is what a client can act on.
 */
function reasonedMessage(md: ModelDeployment): string | undefined {
  const { message, conditions = [] } = md.status ?? {};
  if (!message) return undefined;
  const carrier = conditions.find((c) => c.type === 'Ready' && c.status !== 'True' && c.message === message);
  return carrier?.reason && !message.startsWith(`${carrier.reason}:`) ? `${carrier.reason}: ${message}` : message;
}

function notableConditions(md: ModelDeployment): ModelDeploymentCondition[] {
  return (md.status?.conditions ?? []).filter(
    (c) =>
      (c.type === 'Ready' && c.status !== 'True') ||
      (c.type === 'Degraded' && c.status === 'True') ||
      (c.type === 'Progressing' && c.message !== ''),
  );
}

function conditionText(condition: ModelDeploymentCondition): string {
  const head = `${condition.type}=${condition.status} ${condition.reason}`;
  return condition.message ? `${head}: ${condition.message}` : head;
}
