import { constants } from 'node:os';
import type {
  ContainerConfig,
  ContainerFilter,
  ContainerState,
  Labels,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxState,
} from './cri.types.js';

/** A pod sandbox: here no pause container, only the pod's address and its folder. */
export interface SandboxRecord {
  id: string;
  config: PodSandboxConfig;
  runtimeHandler: string;
  state: PodSandboxState;
  ip: string;
  /** Nanoseconds since the epoch, as the CRI counts. */
  createdAt: bigint;
}

export interface ContainerRecord {
  id: string;
  sandboxId: string;
  config: ContainerConfig;
  imageRef: string;
  state: ContainerState;
  createdAt: bigint;
  startedAt: bigint;
  finishedAt: bigint;
  exitCode: number;
  reason: string;
  message: string;
  pid?: number;
}

export const nanos = (date: Date = new Date()): bigint => BigInt(date.getTime()) * 1_000_000n;

const labelsMatch = (labels: Labels | undefined, selector: Labels | undefined): boolean =>
  Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);

export function sandboxMatches(sandbox: SandboxRecord, filter: PodSandboxFilter | null | undefined): boolean {
  if (!filter) return true;
  if (filter.id && !sandbox.id.startsWith(filter.id)) return false;
  if (filter.state && filter.state.state !== sandbox.state) return false;
  return labelsMatch(sandbox.config.labels, filter.label_selector);
}

export function containerMatches(container: ContainerRecord, filter: ContainerFilter | null | undefined): boolean {
  if (!filter) return true;
  if (filter.id && !container.id.startsWith(filter.id)) return false;
  if (filter.pod_sandbox_id && !container.sandboxId.startsWith(filter.pod_sandbox_id)) return false;
  if (filter.state && filter.state.state !== container.state) return false;
  return labelsMatch(container.config.labels, filter.label_selector);
}

/** The CRI PodSandbox of ListPodSandbox. */
export function podSandboxMessage(sandbox: SandboxRecord) {
  return {
    id: sandbox.id,
    metadata: sandbox.config.metadata,
    state: sandbox.state,
    created_at: sandbox.createdAt.toString(),
    labels: sandbox.config.labels ?? {},
    annotations: sandbox.config.annotations ?? {},
    runtime_handler: sandbox.runtimeHandler,
  };
}

/** The CRI PodSandboxStatus: the pod's IP is the address its processes listen on. */
export function podSandboxStatusMessage(sandbox: SandboxRecord) {
  return {
    ...podSandboxMessage(sandbox),
    network: { ip: sandbox.ip, additional_ips: [] },
    // POD: the kubelet starts a new sandbox for a pod whose sandbox's network mode is not the one it asked for.
    linux: { namespaces: { options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
  };
}

/** The CRI Container of ListContainers. */
export function containerMessage(container: ContainerRecord) {
  return {
    id: container.id,
    pod_sandbox_id: container.sandboxId,
    metadata: container.config.metadata,
    image: container.config.image,
    image_ref: container.imageRef,
    image_id: container.imageRef,
    state: container.state,
    created_at: container.createdAt.toString(),
    labels: container.config.labels ?? {},
    annotations: container.config.annotations ?? {},
  };
}

/** The CRI ContainerStatus: exit code, reason and times are what the kubelet turns into the pod's container status. */
export function containerStatusMessage(container: ContainerRecord, logDirectory: string | undefined) {
  return {
    id: container.id,
    metadata: container.config.metadata,
    state: container.state,
    created_at: container.createdAt.toString(),
    started_at: container.startedAt.toString(),
    finished_at: container.finishedAt.toString(),
    exit_code: container.exitCode,
    image: container.config.image,
    image_ref: container.imageRef,
    image_id: container.imageRef,
    reason: container.reason,
    message: container.message,
    labels: container.config.labels ?? {},
    annotations: container.config.annotations ?? {},
    mounts: container.config.mounts ?? [],
    log_path: logDirectory && container.config.log_path ? `${logDirectory}/${container.config.log_path}` : '',
  };
}

/** How a process ended, as a container runtime reports it: a signal is 128 + its number. */
export function exitOf(code: number | null, signal: NodeJS.Signals | null): { exitCode: number; reason: string } {
  const exitCode = code ?? 128 + signalNumber(signal);
  return { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error' };
}

const signalNumber = (signal: NodeJS.Signals | null) => (signal ? (constants.signals[signal] ?? 1) : 1);
