import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ModelType, ModelUnavailableError, errorFromStatus } from '@focal/contracts';
import { API_CONFIG } from '../../config/api-config.token.js';
import type { ApiConfig } from '@focal/config';
import { INFERENCE_CLIENT, type InferenceClient } from '../inference.client.js';
import { type ModelRuntime, type ModelSpec, type RuntimeModelStatus, unloadedStatus } from '../model-runtime.port.js';
import type { DispatchOptions, EndpointCall } from '../model-dispatch.js';
import { WORKER_LAUNCHER, type WorkerExit, type WorkerHandle, type WorkerLauncher } from './worker.launcher.js';

interface Slot {
  handle: WorkerHandle;
  spec: ModelSpec;
  status: RuntimeModelStatus;
  /** Set while we stop it on purpose, so its exit is not reported as a crash. */
  stopping: boolean;
}

const READY_POLL_MS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One inference child process per model type, each on its own port. A worker that dies on its own
 * leaves its model `failed` with the reason; the next request reloads it when auto-load is on.
 */
@Injectable()
export class LocalRuntime implements ModelRuntime, OnApplicationShutdown {
  readonly kind = 'local' as const;
  private readonly logger = new Logger('LocalRuntime');
  private readonly slots = new Map<ModelType, Slot>();
  private readonly failures = new Map<ModelType, RuntimeModelStatus>();

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(WORKER_LAUNCHER) private readonly launcher: WorkerLauncher,
    @Inject(INFERENCE_CLIENT) private readonly client: InferenceClient,
  ) {}

  async load(type: ModelType, spec: ModelSpec, timeoutMs: number): Promise<RuntimeModelStatus> {
    await this.unload(type);
    this.failures.delete(type);
    const handle = this.launcher.launch({ modelType: type, ...spec });
    const slot: Slot = { handle, spec, stopping: false, status: this.loadingStatus(type, spec) };
    this.slots.set(type, slot);
    void handle.exited.then((exit) => this.onExit(type, slot, exit));
    this.logger.log({
      msg: 'starting worker',
      model_type: type,
      model_id: spec.modelId,
      device: spec.device,
      pid: handle.pid,
    });
    try {
      const endpoint = await this.waitReady(slot, timeoutMs);
      const info = await this.client.info(endpoint);
      slot.status = {
        ...slot.status,
        state: 'ready',
        device: info.device,
        readyReplicas: 1,
        demo: info.demo,
        warnings: info.warnings,
        loadTime: info.load_time,
        endpoint,
      };
      this.logger.log({
        msg: 'worker ready',
        model_type: type,
        model_id: spec.modelId,
        demo: info.demo,
        device: info.device,
        endpoint,
      });
      return slot.status;
    } catch (error) {
      await this.stopSlot(type, slot);
      this.failures.set(type, { ...slot.status, state: 'failed', replicas: 0, error: (error as Error).message });
      throw error;
    }
  }

  async unload(type: ModelType): Promise<boolean> {
    this.failures.delete(type);
    const slot = this.slots.get(type);
    if (!slot) return false;
    await this.stopSlot(type, slot);
    this.logger.log({ msg: 'worker stopped', model_type: type });
    return true;
  }

  /** One worker per model type: every call goes to it. */
  dispatch<T>(model: RuntimeModelStatus, _options: DispatchOptions, call: EndpointCall<T>): Promise<T> {
    return call(model.endpoint as string);
  }

  /**
   * The worker at `endpoint` stopped answering: it died (its exit may not have been seen yet) or hangs.
   * Either way it is retired now, so its model reads `failed` and the next load starts a fresh worker.
   */
  async replicaFailed(model: RuntimeModelStatus, endpoint: string): Promise<boolean> {
    const slot = this.slots.get(model.modelType);
    // Already replaced (or retired by a concurrent caller): the failed worker is gone.
    if (slot?.status.endpoint !== endpoint) return true;
    if (await this.client.isReady(endpoint)) return false;
    if (this.slots.get(model.modelType) !== slot) return true;
    this.retire(model.modelType, slot, 'worker stopped answering: a call failed and /readyz did not answer', {});
    void slot.handle.stop(this.config.local.stopTimeoutMs);
    return true;
  }

  async status(type: ModelType): Promise<RuntimeModelStatus> {
    return this.slots.get(type)?.status ?? this.failures.get(type) ?? unloadedStatus(type);
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.slots.keys()].map((type) => this.unload(type)));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.shutdown();
  }

  private loadingStatus(type: ModelType, spec: ModelSpec): RuntimeModelStatus {
    return {
      ...unloadedStatus(type),
      state: 'loading',
      modelId: spec.modelId,
      requestedDevice: spec.device,
      replicas: 1,
    };
  }

  private async waitReady(slot: Slot, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    const exitedEarly = slot.handle.exited.then((exit): never => {
      throw exit.status ? errorFromStatus(exit.status, exit.reason) : new ModelUnavailableError(exit.reason);
    });
    // Both are raced below; these handlers keep a later rejection from going unhandled.
    exitedEarly.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ModelUnavailableError(`model did not become ready within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    timeout.catch(() => undefined);
    try {
      const port = await Promise.race([slot.handle.listening, exitedEarly, timeout]);
      const endpoint = `http://${this.config.local.host}:${port}`;
      while (Date.now() < deadline) {
        if (await Promise.race([this.client.isReady(endpoint), exitedEarly, timeout])) return endpoint;
        await Promise.race([sleep(READY_POLL_MS), exitedEarly, timeout]);
      }
      throw new ModelUnavailableError(`model did not become ready within ${timeoutMs} ms`);
    } finally {
      clearTimeout(timer);
    }
  }

  private async stopSlot(type: ModelType, slot: Slot): Promise<void> {
    slot.stopping = true;
    if (this.slots.get(type) === slot) this.slots.delete(type);
    await slot.handle.stop(this.config.local.stopTimeoutMs);
  }

  private onExit(type: ModelType, slot: Slot, exit: WorkerExit): void {
    // A worker that dies while loading is reported by load() itself, with the worker's own reason.
    if (slot.stopping || this.slots.get(type) !== slot || slot.status.state === 'loading') return;
    this.retire(type, slot, `worker exited unexpectedly: ${exit.reason}`, exit);
  }

  /** The slot's worker is dead or useless: its model reads `failed` with the reason until it is loaded again. */
  private retire(type: ModelType, slot: Slot, error: string, exit: Partial<WorkerExit>): void {
    this.slots.delete(type);
    this.failures.set(type, { ...slot.status, state: 'failed', readyReplicas: 0, endpoint: null, error });
    this.logger.error({
      msg: 'worker crashed',
      model_type: type,
      model_id: slot.spec.modelId,
      code: exit.code,
      signal: exit.signal,
      reason: error,
    });
  }
}
