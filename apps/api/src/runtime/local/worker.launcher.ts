import type { Device, ModelType } from '@focal/contracts';

export const WORKER_LAUNCHER = Symbol('WORKER_LAUNCHER');

export interface WorkerLaunchSpec {
  modelType: ModelType;
  modelId: string;
  device: Device;
}

export interface WorkerExit {
  code: number | null;
  signal: string | null;
  /** The worker's own explanation (its load error), else the tail of its stderr. */
  reason: string;
  /** HTTP status the worker attached to a load error, when it did. */
  status: number | undefined;
}

/** A running inference worker process. */
export interface WorkerHandle {
  readonly pid: number | undefined;
  /** Resolves with the port once the worker listens; rejects if it exits first. */
  readonly listening: Promise<number>;
  /** Resolves when the process has exited, for whatever reason. */
  readonly exited: Promise<WorkerExit>;
  /** SIGTERM, then SIGKILL after `timeoutMs`. */
  stop(timeoutMs: number): Promise<void>;
}

/** Starts inference workers as child processes (the one outside system LocalRuntime touches). */
export interface WorkerLauncher {
  launch(spec: WorkerLaunchSpec): WorkerHandle;
}
