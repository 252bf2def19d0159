import { CoreV1Api, makeInformer, type Informer, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { Logger } from '@nestjs/common';
import type { ModelPodsSource } from './model-pods.source.js';
import { MODEL_POD_SELECTOR, readyEndpoints, type ModelPod } from './model-pod.readiness.js';
import type { PodEndpoint } from './pod-balancer.js';

const RESTART_MS = 1000;

/** Model pods in the API's namespace through a client-node informer (list, watch, relist after 410). */
export class WatchedModelPods implements ModelPodsSource {
  private readonly logger = new Logger('ModelPods');
  private readonly pods = new Map<string, ModelPod>();
  private readonly informer: Informer<V1Pod>;
  private wake!: () => void;
  private next: Promise<void>;
  private stopped = false;

  constructor(
    kubeConfig: KubeConfig,
    private readonly namespace: string,
    private readonly port: number,
  ) {
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
    this.informer = makeInformer(
      kubeConfig,
      path,
      () => core.listNamespacedPod({ namespace, labelSelector: MODEL_POD_SELECTOR }),
      MODEL_POD_SELECTOR,
    );
    this.next = this.arm();
    const keep = (pod: V1Pod) => {
      this.pods.set(pod.metadata?.uid ?? pod.metadata?.name ?? '', pod as ModelPod);
      this.wake();
    };
    this.informer.on('add', keep);
    this.informer.on('update', keep);
    this.informer.on('delete', (pod) => {
      this.pods.delete(pod.metadata?.uid ?? pod.metadata?.name ?? '');
      this.wake();
    });
    this.informer.on('error', (error: unknown) => {
      if (this.stopped) return;
      this.logger.warn({ msg: 'pod watch failed; restarting', namespace, error: String(error) });
      setTimeout(() => void this.informer.start().catch(() => undefined), RESTART_MS);
    });
  }

  async start(): Promise<void> {
    await this.informer.start();
    this.logger.log({ msg: 'watching model pods', namespace: this.namespace, selector: MODEL_POD_SELECTOR });
  }

  stop(): void {
    this.stopped = true;
    void this.informer.stop();
  }

  ready(instance: string): PodEndpoint[] {
    return readyEndpoints(this.pods.values(), instance, this.port);
  }

  changed(): Promise<void> {
    return this.next;
  }

  private arm(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = () => {
        this.next = this.arm();
        resolve();
      };
    });
  }
}
