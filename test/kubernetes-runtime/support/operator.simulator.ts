import { KubeConfig, Watch } from '@kubernetes/client-node';
import type { ModelDeployment, ModelDeploymentCondition, ModelDeploymentStatus } from '@focal/contracts';
import { FAKE_KUBE_RESOURCES, type FakeKubeApiServer } from '@focal/testing';

/**
 * - ready: Loading at once, then Ready with every replica after `readyDelayMs`, as a healthy operator would;
 * - stuck: Pending forever, with an unschedulable pod as the reason;
 * - fail: Failed with `failMessage`.
 */
export type OperatorMode = 'ready' | 'stuck' | 'fail';

export const UNSCHEDULABLE = '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.';

export interface ReadyRecord {
  name: string;
  generation: number;
  at: number;
}

function condition(
  type: ModelDeploymentCondition['type'],
  status: ModelDeploymentCondition['status'],
  reason: string,
  message: string,
  observedGeneration: number,
): ModelDeploymentCondition {
  return { type, status, reason, message, observedGeneration, lastTransitionTime: new Date().toISOString() };
}

/**
 * Plays focal-operator for the API under test: watches ModelDeployments through the fake API
 * server like the real operator would, and writes their status through the status subresource,
 * once per spec generation.
 */
export class OperatorSimulator {
  mode: OperatorMode = 'ready';
  readyDelayMs = 300;
  failMessage = 'model-fetch init container failed: 401 Unauthorized from huggingface.co (is hfTokenSecret set?)';
  /** Every Ready status written, in order. */
  readonly readied: ReadyRecord[] = [];
  private readonly handled = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private controller?: AbortController;
  private running = false;

  constructor(
    private readonly server: FakeKubeApiServer,
    private readonly namespace: string,
  ) {}

  async start(): Promise<void> {
    this.running = true;
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions(this.server.kubeConfig());
    const path = `/apis/focal.dev/v1alpha1/namespaces/${this.namespace}/modeldeployments`;
    const watch = async (): Promise<void> => {
      this.controller = await new Watch(kubeConfig).watch(
        path,
        {},
        (type, object) => {
          if (type === 'ADDED' || type === 'MODIFIED') this.reconcile(object as ModelDeployment);
        },
        () => {
          // A watch from scratch replays every object as ADDED; handled generations are skipped.
          if (this.running) setTimeout(() => void watch(), 50);
        },
      );
    };
    await watch();
  }

  stop(): void {
    this.running = false;
    this.controller?.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Forgets what was handled, so a test starts from a clean slate. */
  reset(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.handled.clear();
    this.readied.length = 0;
    this.mode = 'ready';
  }

  private reconcile(md: ModelDeployment): void {
    const name = md.metadata.name ?? '';
    const generation = md.metadata.generation ?? 1;
    const key = `${md.metadata.uid}@${generation}`;
    if (this.handled.has(key)) return;
    this.handled.add(key);
    const replicas = md.spec.replicas ?? 1;
    if (replicas === 0) {
      this.write(name, {
        phase: 'Unloaded',
        replicas: 0,
        readyReplicas: 0,
        observedGeneration: generation,
        conditions: [condition('Ready', 'False', 'ScaledToZero', 'spec.replicas is 0', generation)],
      });
      return;
    }
    if (this.mode === 'fail') {
      this.write(name, {
        phase: 'Failed',
        replicas,
        readyReplicas: 0,
        observedGeneration: generation,
        message: this.failMessage,
        conditions: [condition('Degraded', 'True', 'LoadFailed', this.failMessage, generation)],
      });
      return;
    }
    this.write(name, {
      phase: this.mode === 'stuck' ? 'Pending' : 'Loading',
      replicas,
      readyReplicas: 0,
      observedGeneration: generation,
      conditions: [
        this.mode === 'stuck'
          ? condition('Progressing', 'True', 'Unschedulable', UNSCHEDULABLE, generation)
          : condition('Progressing', 'True', 'PodsStarting', 'waiting for model pods', generation),
        condition('Ready', 'False', 'PodsNotReady', `0/${replicas} model pods ready`, generation),
      ],
    });
    if (this.mode === 'stuck') return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const current = this.server.get(FAKE_KUBE_RESOURCES.modelDeployments, this.namespace, name);
      // A newer spec (or a deletion) supersedes this one, as in a real reconcile loop.
      if (current?.metadata.generation !== generation) return;
      this.write(name, {
        phase: 'Ready',
        replicas,
        readyReplicas: replicas,
        observedGeneration: generation,
        endpoint: `http://focal-model-${name}.${this.namespace}.svc:8080`,
        conditions: [condition('Ready', 'True', 'PodsReady', `${replicas}/${replicas} model pods ready`, generation)],
      });
      this.readied.push({ name, generation, at: Date.now() });
    }, this.readyDelayMs);
    this.timers.add(timer);
  }

  private write(name: string, status: ModelDeploymentStatus): void {
    try {
      this.server.setStatus(FAKE_KUBE_RESOURCES.modelDeployments, this.namespace, name, status);
    } catch {
      // Deleted in the meantime: nothing left to report on.
    }
  }
}
