import { Inject, Injectable, Logger } from '@nestjs/common';
import { FocalError, UpstreamError } from '@focal/contracts';
import { ApiMetrics } from '../metrics/api.metrics.js';
import { ModelManagerService } from '../models/model-manager.service.js';
import type { DispatchOptions, EndpointCall } from '../runtime/model-dispatch.js';
import { MODEL_RUNTIME, type ModelRuntime, type RuntimeModelStatus } from '../runtime/model-runtime.port.js';

/**
 * Transparent failover around one inference call. Inference is idempotent, so a call whose worker died
 * under it (connection reset or refused, a 5xx, the process gone) is sent once more: to the same model's
 * restarted worker (local runtime: reloaded with the same spec, waited for within FOCAL_LOAD_TIMEOUT_MS)
 * or to another ready replica (Kubernetes). The client only sees the second answer.
 *
 * Not retried: answers of a worker that is still alive (a 4xx, a 503, a timeout, a 5xx from a worker
 * that still answers /readyz: sending it again would fail again or double the load) and models that
 * were unloaded meanwhile.
 */
@Injectable()
export class WorkerFailover {
  private readonly logger = new Logger('WorkerFailover');

  constructor(
    @Inject(MODEL_RUNTIME) private readonly runtime: ModelRuntime,
    private readonly models: ModelManagerService,
    private readonly metrics: ApiMetrics,
  ) {}

  async dispatch<T>(model: RuntimeModelStatus, options: DispatchOptions, call: EndpointCall<T>): Promise<T> {
    let endpoint: string | undefined;
    const tracked: EndpointCall<T> = (target) => {
      endpoint = target;
      return call(target);
    };
    try {
      return await this.runtime.dispatch(model, options, tracked);
    } catch (error) {
      if (endpoint === undefined || !(await this.workerDied(model, endpoint, error))) throw error;
      return this.retry(model, options, call, endpoint, error as Error);
    }
  }

  private async workerDied(model: RuntimeModelStatus, endpoint: string, error: unknown): Promise<boolean> {
    // A typed answer other than a 5xx came from a live worker; anything else may be its death.
    if (error instanceof FocalError && !(error instanceof UpstreamError)) return false;
    return this.runtime.replicaFailed(model, endpoint);
  }

  private async retry<T>(
    model: RuntimeModelStatus,
    options: DispatchOptions,
    call: EndpointCall<T>,
    endpoint: string,
    cause: Error,
  ): Promise<T> {
    const type = model.modelType;
    this.logger.warn({
      msg: 'worker died during inference; retrying once',
      model_type: type,
      endpoint,
      reason: cause.message,
    });
    try {
      const fresh = await this.readyAgain(model, cause);
      const result = await this.runtime.dispatch(fresh, options, call);
      this.metrics.inferenceFailovers.inc({ model: type, outcome: 'served' });
      this.logger.log({ msg: 'inference retry served', model_type: type, endpoint: fresh.endpoint });
      return result;
    } catch (error) {
      this.metrics.inferenceFailovers.inc({ model: type, outcome: 'failed' });
      throw error;
    }
  }

  /** The model ready again: another replica, or its worker restarted with the same spec. */
  private async readyAgain(model: RuntimeModelStatus, cause: Error): Promise<RuntimeModelStatus> {
    const current = await this.runtime.status(model.modelType);
    if (current.state === 'ready' && current.endpoint) return current;
    // Unloaded on purpose while the call ran: bringing it back would undo that.
    if (current.state === 'unloaded') throw cause;
    return this.models.load(model.modelType, {
      modelId: model.modelId ?? undefined,
      device: model.requestedDevice ?? undefined,
      wait: true,
    });
  }
}
