import { Logger } from '@nestjs/common';
import { ModelUnavailableError } from '@focal/contracts';
import type { DispatchOptions, EndpointCall } from '../model-dispatch.js';
import { WorkerUnreachableError } from '../worker-unreachable.error.js';
import type { ModelPodsSource } from './model-pods.source.js';
import { PodBalancer, type PodEndpoint } from './pod-balancer.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Re-reads the ready set this often even without a watch event, in case the watch is down. */
const RECHECK_MS = 1000;

/**
 * Endpoint-aware routing, as KubeAI's load balancer does it: each request goes straight to a ready
 * pod's IP (least in flight, SAM3 by image affinity), is held while the model has no ready pod, and
 * is retried once on another pod when its pod vanished before answering. No Service, no DNS.
 */
export class PodRouter {
  private readonly logger = new Logger('PodRouter');
  private readonly balancer = new PodBalancer();

  constructor(private readonly pods: ModelPodsSource) {}

  /** Some ready pod's endpoint, for readiness checks and status; undefined when none is ready. */
  anyReady(instance: string): string | undefined {
    return this.pods.ready(instance)[0]?.endpoint;
  }

  readyCount(instance: string): number {
    return this.pods.ready(instance).length;
  }

  async dispatch<T>(instance: string, options: DispatchOptions, call: EndpointCall<T>): Promise<T> {
    const tried = new Set<string>();
    const key = options.affinityKey?.();
    for (let attempt = 0; ; attempt++) {
      const pod = await this.acquire(instance, options.deadline, key, tried);
      this.balancer.begin(pod);
      try {
        const result = await call(pod.endpoint);
        this.balancer.served(key, pod);
        return result;
      } catch (error) {
        if (!(error instanceof WorkerUnreachableError) || attempt >= 1) throw error;
        tried.add(pod.endpoint);
        this.logger.warn({
          msg: 'model pod unreachable; retrying on another pod',
          instance,
          pod: pod.name,
          error: error.message,
        });
      } finally {
        this.balancer.end(pod);
      }
    }
  }

  private async acquire(
    instance: string,
    deadline: number,
    key: string | undefined,
    exclude: ReadonlySet<string>,
  ): Promise<PodEndpoint> {
    for (;;) {
      // Taken before the read, so a pod that turns ready between the read and the wait still wakes us.
      const changed = this.pods.changed();
      const pod = this.balancer.pick(this.pods.ready(instance), key, exclude);
      if (pod) return pod;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new ModelUnavailableError(
          `no ready pod of ModelDeployment ${instance}${exclude.size > 0 ? ' other than the one that failed' : ''} before the load timeout`,
        );
      }
      await Promise.race([changed, sleep(Math.min(remaining, RECHECK_MS))]);
    }
  }
}
