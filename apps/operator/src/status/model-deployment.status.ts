import {
  MODEL_DEPLOYMENT_DEFAULTS,
  type ConditionStatus,
  type ModelDeployment,
  type ModelDeploymentCondition,
  type ModelDeploymentConditionType,
  type ModelDeploymentPhase,
  type ModelDeploymentStatus,
} from '@focal/contracts';
import type { DeploymentObject, PodObject } from '../cluster/kube-objects.js';
import {
  childName,
  modelEndpoint,
  selectorString,
  TEMPLATE_HASH_ANNOTATION,
} from '../builders/model-workload.names.js';
import { canonicalJson } from '../builders/spec-hash.js';
import { diagnosePods, type PodDiagnosis } from './model-pods.diagnosis.js';

/** Something that keeps the operator from managing the children at all, such as a name that cannot name them. */
export interface StatusBlocker {
  reason: string;
  message: string;
}

interface ConditionState {
  status: ConditionStatus;
  reason: string;
  message: string;
}

interface Assessment {
  phase: ModelDeploymentPhase;
  ready: ConditionState;
  progressing: ConditionState;
  degraded: ConditionState;
}

const NOT_DEGRADED: ConditionState = { status: 'False', reason: 'AsExpected', message: '' };

/**
 * The status a ModelDeployment should have, given its Deployment (undefined when it does not exist
 * yet) and the Deployment's pods (what the scheduler and the kubelet say about them). Pure: the time of a condition's transition is `now` only when its status changed; otherwise
 * the previous lastTransitionTime is kept, so an unchanged situation yields an identical status.
 */
export function computeStatus(
  md: ModelDeployment,
  deployment: DeploymentObject | undefined,
  now: Date,
  blocker?: StatusBlocker,
  pods: readonly PodObject[] = [],
): ModelDeploymentStatus {
  const counts = deployment?.status ?? {};
  const assessment = blocker ? blocked(blocker) : assess(md, deployment, pods);
  const generation = md.metadata.generation;
  const previous = md.status?.conditions ?? [];
  const condition = (type: ModelDeploymentConditionType, state: ConditionState): ModelDeploymentCondition => {
    const before = previous.find((c) => c.type === type);
    return {
      type,
      status: state.status,
      reason: state.reason,
      message: state.message,
      lastTransitionTime: before && before.status === state.status ? before.lastTransitionTime : kubeTimestamp(now),
      ...(generation !== undefined ? { observedGeneration: generation } : {}),
    };
  };
  return {
    phase: assessment.phase,
    replicas: counts.replicas ?? 0,
    readyReplicas: counts.readyReplicas ?? 0,
    selector: selectorString(md),
    endpoint: modelEndpoint(md),
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    message: assessment.ready.message,
    conditions: [
      condition('Ready', assessment.ready),
      condition('Progressing', assessment.progressing),
      condition('Degraded', assessment.degraded),
    ],
  };
}

/** Equal statuses need no write; key order does not matter, array order does. */
export function statusEquals(a: ModelDeploymentStatus | undefined, b: ModelDeploymentStatus | undefined): boolean {
  return canonicalJson(a ?? {}) === canonicalJson(b ?? {});
}

/** RFC 3339 in whole seconds, as metav1.Time serializes. */
export function kubeTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function blocked(blocker: StatusBlocker): Assessment {
  const state = { reason: blocker.reason, message: blocker.message };
  return {
    phase: 'Failed',
    ready: { status: 'False', ...state },
    progressing: { status: 'False', ...state },
    degraded: { status: 'True', ...state },
  };
}

function assess(md: ModelDeployment, deployment: DeploymentObject | undefined, pods: readonly PodObject[]): Assessment {
  const desired = md.spec.replicas ?? MODEL_DEPLOYMENT_DEFAULTS.replicas;
  const replicas = deployment?.status?.replicas ?? 0;
  const ready = deployment?.status?.readyReplicas ?? 0;
  const name = childName(md.metadata.name ?? '');

  if (desired === 0) {
    if (replicas === 0) {
      const message = 'Scaled to 0 replicas; the model is not loaded';
      return {
        phase: 'Unloaded',
        ready: { status: 'False', reason: 'ScaledToZero', message },
        progressing: { status: 'False', reason: 'ScaledToZero', message },
        degraded: NOT_DEGRADED,
      };
    }
    const message = `Unloading: waiting for ${replicas} pod(s) to terminate`;
    return {
      phase: 'Pending',
      ready: { status: 'False', reason: 'ScalingDown', message },
      progressing: { status: 'True', reason: 'ScalingDown', message },
      degraded: NOT_DEGRADED,
    };
  }

  if (!deployment) {
    const message = `Waiting for Deployment ${name} to be created`;
    return {
      phase: 'Pending',
      ready: { status: 'False', reason: 'DeploymentPending', message },
      progressing: { status: 'True', reason: 'DeploymentPending', message },
      degraded: NOT_DEGRADED,
    };
  }

  const failure = failureOf(deployment);
  if (failure && ready < desired) {
    const message = `Deployment ${name}: ${failure.message}`;
    return {
      phase: 'Failed',
      ready: { status: 'False', reason: failure.reason, message },
      progressing: { status: 'False', reason: failure.reason, message },
      degraded: { status: 'True', reason: failure.reason, message },
    };
  }

  const rolling = rollingOut(deployment, desired, pods);
  // Only while some pod of the current spec is missing: a fully served model has no pod problem to report.
  const problem = ready < desired || rolling ? diagnosePods(pods) : undefined;
  const serving = wasServing(md);
  if (problem?.fatal && !serving) return podFailure(problem);

  if (ready < desired && replicas > 0 && serving) {
    // Every replica of this spec was ready and some no longer are (a crash, a failed liveness probe,
    // a lost node): the model is degraded, not loading; while one pod is ready it still serves.
    const lost = `${ready}/${desired} replicas ready: ${desired - ready} not ready since the model was served`;
    const message = problem ? `${lost}; ${problem.message}` : lost;
    return {
      phase: 'Degraded',
      ready:
        ready > 0
          ? { status: 'True', reason: 'PartiallyReady', message }
          : { status: 'False', reason: 'ReplicasUnavailable', message },
      progressing: { status: 'True', reason: 'Recovering', message },
      degraded: { status: 'True', reason: 'ReplicasUnavailable', message },
    };
  }

  if (ready >= desired && rolling) {
    // The ready pods may still run the previous template, i.e. the previous model or settings:
    // Ready now would tell the API the new spec is served when it is not.
    const updated = deployment.status?.updatedReplicas ?? 0;
    const message = `Rolling out the new spec: ${updated}/${desired} pods updated, ${ready} ready`;
    return {
      phase: 'Loading',
      ready: { status: 'False', reason: 'RollingOut', message },
      progressing: { status: 'True', reason: 'RollingOut', message },
      degraded: NOT_DEGRADED,
    };
  }

  if (ready >= desired) {
    const message = `${ready}/${desired} replicas ready`;
    return {
      phase: 'Ready',
      ready: { status: 'True', reason: 'ReplicasReady', message },
      progressing: { status: 'False', reason: 'Complete', message },
      degraded: NOT_DEGRADED,
    };
  }

  if (md.spec.autoscaling && ready > 0 && (allPodsCurrent(deployment) || podsRunTemplate(deployment, pods))) {
    // An autoscaled model asked for more replicas than are ready, and every pod runs the current template: the
    // ready ones serve this very spec, so the model stays served (Ready) while the others start. Without this,
    // each scale-up would turn the model `loading` and hold every request until the last replica is up.
    const message = `Scaling up: ${ready}/${desired} replicas ready`;
    return {
      phase: 'Ready',
      ready: { status: 'True', reason: 'ScalingUp', message },
      progressing: { status: 'True', reason: 'ScalingUp', message },
      degraded: NOT_DEGRADED,
    };
  }

  if (problem?.reason === 'Unschedulable') {
    // Not Failed: a node may join or free up (a cluster autoscaler, a finished job).
    return {
      phase: 'Pending',
      ready: { status: 'False', reason: problem.reason, message: problem.message },
      progressing: { status: 'True', reason: problem.reason, message: problem.message },
      degraded: NOT_DEGRADED,
    };
  }

  if (replicas === 0) {
    const message = `Waiting for pods to be scheduled (0/${desired})`;
    return {
      phase: 'Pending',
      ready: { status: 'False', reason: 'PodsPending', message },
      progressing: { status: 'True', reason: 'PodsPending', message },
      degraded: NOT_DEGRADED,
    };
  }

  const message = `Loading the model: ${ready}/${desired} replicas ready`;
  return {
    phase: 'Loading',
    ready: { status: 'False', reason: 'Loading', message },
    progressing: { status: 'True', reason: 'Loading', message },
    degraded: NOT_DEGRADED,
  };
}

/**
 * A pod problem that waiting on this spec will not fix: the model cannot be served until the spec
 * (model id, image, Secret) changes. The kubelet keeps retrying, and a retry that succeeds turns the
 * status back to Loading on the next pass.
 */
function podFailure(problem: PodDiagnosis): Assessment {
  const state = { reason: problem.reason, message: problem.message };
  return {
    phase: 'Failed',
    ready: { status: 'False', ...state },
    progressing: { status: 'False', ...state },
    degraded: { status: 'True', ...state },
  };
}

/** The last status reported this very spec (same generation) as fully served, or already degraded from that. */
function wasServing(md: ModelDeployment): boolean {
  const status = md.status;
  if (status?.phase !== 'Ready' && status?.phase !== 'Degraded') return false;
  return status.observedGeneration !== undefined && status.observedGeneration === md.metadata.generation;
}

/** The Deployment controller's verdicts that waiting will not fix: no progress within the deadline, or pods it cannot create. */
function failureOf(deployment: DeploymentObject): { reason: string; message: string } | undefined {
  const conditions = deployment.status?.conditions ?? [];
  const deadline = conditions.find(
    (c) => c.type === 'Progressing' && c.status === 'False' && c.reason === 'ProgressDeadlineExceeded',
  );
  if (deadline)
    return { reason: 'ProgressDeadlineExceeded', message: deadline.message ?? 'progress deadline exceeded' };
  const replicaFailure = conditions.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  if (replicaFailure) {
    return {
      reason: 'ReplicaFailure',
      message: replicaFailure.message ?? replicaFailure.reason ?? 'the Deployment cannot create pods',
    };
  }
  return undefined;
}

/** The Deployment controller saw the latest template and every pod it runs is of that template. */
function allPodsCurrent(deployment: DeploymentObject): boolean {
  const { status = {}, metadata } = deployment;
  if (status.observedGeneration === undefined || metadata.generation === undefined) return false;
  if (status.observedGeneration < metadata.generation || status.updatedReplicas === undefined) return false;
  return status.updatedReplicas >= (status.replicas ?? 0);
}

/**
 * The rollout of the latest Deployment spec is not complete, as `kubectl rollout status` judges it:
 * the controller has not seen the latest generation, fewer pods than desired run the current
 * template, or pods of an older template remain. Counts the status leaves out are not held against it.
 *
 * An unobserved generation is not a rollout when every pod already runs the current template: the API
 * server bumps a Deployment's generation for a replica count or an annotation too, and reading those as a
 * rollout would turn a served model Loading (and hold its requests) until the controller catches up.
 */
function rollingOut(deployment: DeploymentObject, desired: number, pods: readonly PodObject[]): boolean {
  const { status = {}, metadata } = deployment;
  const stale =
    status.observedGeneration !== undefined &&
    metadata.generation !== undefined &&
    status.observedGeneration < metadata.generation;
  const updated = status.updatedReplicas;
  const outdated = updated !== undefined && (updated < desired || (status.replicas ?? 0) > updated);
  return (stale && !podsRunTemplate(deployment, pods)) || outdated;
}

/**
 * Every live pod carries the template hash the Deployment's template carries now. False without pods, and for a
 * template with no hash (a Deployment an older operator built): then only the controller's counts can tell.
 */
function podsRunTemplate(deployment: DeploymentObject, pods: readonly PodObject[]): boolean {
  const current = deployment.spec?.template.metadata?.annotations?.[TEMPLATE_HASH_ANNOTATION];
  const live = pods.filter((pod) => !pod.metadata.deletionTimestamp);
  if (!current || live.length === 0) return false;
  return live.every((pod) => pod.metadata.annotations?.[TEMPLATE_HASH_ANNOTATION] === current);
}
