import type { ContainerSpec, Pod, PodCondition } from './pod.types.js';

export type ContainerState =
  | { running: { startedAt: string } }
  | { waiting: { reason: string; message?: string } }
  | {
      terminated: {
        exitCode: number;
        reason: string;
        signal?: number;
        startedAt?: string;
        finishedAt: string;
        message?: string;
      };
    };

/** What the agent knows of one container, from which its containerStatus is written. */
export interface ContainerRecord {
  spec: ContainerSpec;
  state: ContainerState;
  lastState?: ContainerState;
  restartCount: number;
  ready: boolean;
  started: boolean;
}

export interface PodObservation {
  podIp: string;
  hostIp: string;
  startTime: string;
  initContainers: ContainerRecord[];
  containers: ContainerRecord[];
  /** Every init container has completed. */
  initialized: boolean;
  now: string;
}

function containerStatus(record: ContainerRecord, init: boolean) {
  return {
    name: record.spec.name,
    image: record.spec.image,
    imageID: `focal-local://${record.spec.image}`,
    containerID: `focal-local://${record.spec.name}-${record.restartCount}`,
    state: record.state,
    lastState: record.lastState ?? {},
    ready: record.ready,
    restartCount: record.restartCount,
    ...(init ? {} : { started: record.started }),
  };
}

/** A condition keeps its lastTransitionTime while its status stays the same, as the kubelet's do. */
function condition(
  previous: PodCondition[] | undefined,
  type: string,
  ok: boolean,
  now: string,
  reason?: string,
  message?: string,
): PodCondition {
  const status = ok ? 'True' : 'False';
  const before = previous?.find((c) => c.type === type);
  return {
    type,
    status,
    lastTransitionTime: before?.status === status && before.lastTransitionTime ? before.lastTransitionTime : now,
    ...(ok || !reason ? {} : { reason, message }),
  };
}

const names = (records: ContainerRecord[]) => records.map((r) => r.spec.name).join(' ');

/** The pod's status as the kubelet would write it for what the agent observed. */
export function buildPodStatus(pod: Pod, observed: PodObservation) {
  const previous = pod.status?.conditions;
  const unready = observed.containers.filter((c) => !c.ready);
  const incomplete = observed.initContainers.filter(
    (c) => !('terminated' in c.state && c.state.terminated.exitCode === 0),
  );
  const containersReady = observed.initialized && unready.length === 0;
  // Running from the first container start until the pod object goes, as for a kubelet's pod whose
  // containers restart (restartPolicy Always) or are being stopped.
  const running =
    observed.initialized && observed.containers.some((c) => !('waiting' in c.state) || c.restartCount > 0);
  const scheduled = previous?.find((c) => c.type === 'PodScheduled');
  return {
    phase: running ? 'Running' : 'Pending',
    hostIP: observed.hostIp,
    hostIPs: [{ ip: observed.hostIp }],
    podIP: observed.podIp,
    podIPs: [{ ip: observed.podIp }],
    startTime: observed.startTime,
    conditions: [
      condition(previous, 'PodReadyToStartContainers', true, observed.now),
      condition(
        previous,
        'Initialized',
        observed.initialized,
        observed.now,
        'ContainersNotInitialized',
        `containers with incomplete status: [${names(incomplete)}]`,
      ),
      condition(
        previous,
        'Ready',
        containersReady,
        observed.now,
        'ContainersNotReady',
        `containers with unready status: [${names(unready)}]`,
      ),
      condition(
        previous,
        'ContainersReady',
        containersReady,
        observed.now,
        'ContainersNotReady',
        `containers with unready status: [${names(unready)}]`,
      ),
      ...(scheduled ? [scheduled] : []),
    ],
    ...(observed.initContainers.length > 0
      ? { initContainerStatuses: observed.initContainers.map((c) => containerStatus(c, true)) }
      : {}),
    containerStatuses: observed.containers.map((c) => containerStatus(c, false)),
  };
}

/** Kubelet-style crash-loop back-off: base, doubling, capped. */
export function restartDelayMs(restartCount: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, restartCount - 1));
}
