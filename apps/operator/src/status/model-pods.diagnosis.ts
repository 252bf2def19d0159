import type { ContainerState, ContainerStatus, PodObject } from '../cluster/kube-objects.js';
import { INFERENCE_CONTAINER, PREFETCH_CONTAINER } from '../builders/deployment.builder.js';

/**
 * Why a model's pods do not become ready, read from what the scheduler and the kubelet wrote on
 * them. `fatal` problems do not go away by waiting on the same spec (the kubelet retries them, but
 * a missing repo or a wrong image fails again); Unschedulable is not fatal, since a node may join.
 */
export interface PodDiagnosis {
  reason: PodProblemReason;
  message: string;
  fatal: boolean;
}

export type PodProblemReason =
  'ModelFetchFailed' | 'ImagePullFailed' | 'ContainerConfigInvalid' | 'ModelServerFailed' | 'Unschedulable';

/** Waiting reasons of the kubelet for an image it cannot get. */
const IMAGE_PULL_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
/** Waiting reasons of the kubelet for a container it cannot even create (a missing Secret or key, a bad mount). */
const CONFIG_REASONS = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);
/** The inference worker's last stderr line before it exits on a load failure (apps/inference/src/main.ts). */
const LOAD_ERROR_MARKER = 'FOCAL_LOAD_ERROR:';
/** A status message stays readable in `kubectl describe` and in the API's error detail. */
const MAX_DETAIL = 400;

/**
 * The first problem among the pods that are not being deleted, in order of how much it explains: a
 * failed model fetch, then an image or container-config problem, then a worker that exits before
 * serving, then a pod the scheduler cannot place. Pods are taken by name, so the answer is stable.
 */
export function diagnosePods(pods: readonly PodObject[]): PodDiagnosis | undefined {
  const live = pods
    .filter((pod) => !pod.metadata.deletionTimestamp)
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const checks = [fetchFailure, imageOrConfigProblem, serverFailure, unschedulable];
  for (const check of checks) {
    for (const pod of live) {
      const found = check(pod);
      if (found) return found;
    }
  }
  return undefined;
}

function fetchFailure(pod: PodObject): PodDiagnosis | undefined {
  const status = pod.status?.initContainerStatuses?.find((c) => c.name === PREFETCH_CONTAINER);
  const failure = status && lastFailure(status);
  if (!status || !failure) return undefined;
  return {
    reason: 'ModelFetchFailed',
    message: `Pod ${pod.metadata.name}: init container ${PREFETCH_CONTAINER} ${describeFailure(status, failure)}`,
    fatal: true,
  };
}

function imageOrConfigProblem(pod: PodObject): PodDiagnosis | undefined {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const status of statuses) {
    const waiting = status.state?.waiting;
    const reason = waiting?.reason ?? '';
    if (!IMAGE_PULL_REASONS.has(reason) && !CONFIG_REASONS.has(reason)) continue;
    const detail = waiting?.message ? `: ${condense(waiting.message)}` : '';
    return {
      reason: IMAGE_PULL_REASONS.has(reason) ? 'ImagePullFailed' : 'ContainerConfigInvalid',
      message: `Pod ${pod.metadata.name}: container ${status.name} is waiting (${reason})${detail}`,
      fatal: true,
    };
  }
  return undefined;
}

/** The worker exits when its model cannot load (a wrong graph, an empty cache): seen before it ever became ready. */
function serverFailure(pod: PodObject): PodDiagnosis | undefined {
  const status = pod.status?.containerStatuses?.find((c) => c.name === INFERENCE_CONTAINER);
  const failure = status && !status.ready && lastFailure(status);
  if (!status || !failure) return undefined;
  return {
    reason: 'ModelServerFailed',
    message: `Pod ${pod.metadata.name}: container ${INFERENCE_CONTAINER} ${describeFailure(status, failure)}`,
    fatal: true,
  };
}

function unschedulable(pod: PodObject): PodDiagnosis | undefined {
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status !== 'False' || scheduled.reason !== 'Unschedulable') return undefined;
  const detail = scheduled.message ? `: ${condense(scheduled.message)}` : '';
  return { reason: 'Unschedulable', message: `Pod ${pod.metadata.name} cannot be scheduled${detail}`, fatal: false };
}

type Terminated = NonNullable<ContainerState['terminated']>;

/** The container's current termination if it failed, else the previous one while it runs again unready or backs off. */
function lastFailure(status: ContainerStatus): Terminated | undefined {
  const current = status.state?.terminated;
  // Completed (an init container) or serving again: an earlier failure is history.
  if (current) return current.exitCode !== 0 ? current : undefined;
  if (status.ready) return undefined;
  const previous = status.lastState?.terminated;
  return previous && previous.exitCode !== 0 ? previous : undefined;
}

/** e.g. "exited with code 1 (Error), restarted 2 times, CrashLoopBackOff: 401 Unauthorized …". */
function describeFailure(status: ContainerStatus, terminated: Terminated): string {
  const parts = [`exited with code ${terminated.exitCode} (${terminated.reason ?? 'Error'})`];
  const restarts = status.restartCount ?? 0;
  if (restarts > 0) parts.push(`restarted ${restarts} time${restarts === 1 ? '' : 's'}`);
  const waiting = status.state?.waiting?.reason;
  if (waiting) parts.push(waiting);
  const detail = terminated.message ? terminationDetail(terminated.message) : '';
  return detail ? `${parts.join(', ')}: ${detail}` : parts.join(', ');
}

/**
 * The part of a termination message worth reading. With FallbackToLogsOnError it is the log's
 * tail: the worker's load-error line when there is one, else the last non-empty line.
 */
export function terminationDetail(message: string): string {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const marked = lines.findLast((line) => line.includes(LOAD_ERROR_MARKER));
  if (marked) {
    const reason = loadErrorReason(marked.slice(marked.indexOf(LOAD_ERROR_MARKER) + LOAD_ERROR_MARKER.length));
    if (reason) return condense(reason);
  }
  return condense(lines.at(-1) ?? '');
}

function loadErrorReason(json: string): string | undefined {
  try {
    const parsed = JSON.parse(json) as { reason?: unknown };
    return typeof parsed.reason === 'string' ? parsed.reason : undefined;
  } catch {
    return undefined;
  }
}

function condense(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_DETAIL ? `${oneLine.slice(0, MAX_DETAIL - 1)}…` : oneLine;
}
