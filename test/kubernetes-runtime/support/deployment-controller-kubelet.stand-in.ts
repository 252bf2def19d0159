import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FAKE_KUBE_RESOURCES, type FakeKubeApiServer, type KubeObject } from '@focal/testing';
import { imagePrograms, type ImageProgram } from '../../../libs/testing/src/node-agent/image.programs.js';
import { PodIpAllocator } from '../../../libs/testing/src/node-agent/pod-ip.allocator.js';
import { PodRunner } from '../../../libs/testing/src/node-agent/pod.runner.js';
import type { ObjectLookup, Pod } from '../../../libs/testing/src/node-agent/pod.types.js';

const PODS = FAKE_KUBE_RESOURCES.pods;
const DEPLOYMENTS = FAKE_KUBE_RESOURCES.deployments;
const TEMPLATE_HASH_LABEL = 'pod-template-hash';
const NODE_NAME = 'focal-cpu-0';
/** The one node's labels: a CPU node, so a cuda pod's GPU node selector matches nothing. */
const NODE_LABELS: Record<string, string> = { 'kubernetes.io/hostname': NODE_NAME, 'kubernetes.io/os': 'linux' };
/** Extended resources the node has none of (a GPU device plugin would advertise nvidia.com/gpu). */
const NODE_CAPACITY: Record<string, number> = {};
const TICK_MS = 25;
/** An image built to serve one model (its repository; any registry and tag map to it). */
export const DINOV3_ONLY_REPOSITORY = 'acme/dinov3-server';

/**
 * The chart's images (image.programs.ts) plus one built for a single model: its entrypoint sets the
 * family and model itself, so a pod of another model type that runs it serves DINOv3.
 */
function programs(repo: string): Map<string, ImageProgram> {
  const images = imagePrograms(repo);
  const worker = images.get('focal/inference');
  if (!worker) throw new Error('image.programs.ts has no focal/inference');
  images.set(DINOV3_ONLY_REPOSITORY, {
    ...worker,
    argv: (command, args, podIp) => [
      'env',
      'FOCAL_MODEL_TYPE=dinov3',
      'FOCAL_MODEL_ID=demo',
      ...worker.argv(command, args, podIp),
    ],
  });
  return images;
}

interface DeploymentLike extends KubeObject {
  spec: {
    replicas?: number;
    strategy?: { rollingUpdate?: { maxSurge?: number | string } };
    template: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: any };
  };
  status?: Record<string, unknown>;
}

/**
 * Plays the parts of a cluster that the fake API server does not have, for the real operator and
 * the real API in front of it:
 * - the Deployment controller: Pods from each Deployment's template (owned by the Deployment: there
 *   is no ReplicaSet layer), a rollout that starts the new pods and deletes the old ones once the
 *   new are ready (old first when maxSurge is 0), and the Deployment's status counts and its
 *   Available/Progressing conditions with the controller's reasons;
 * - the scheduler's filters for one CPU node: node selector, then extended resources, with the
 *   scheduler's Unschedulable message;
 * - the kubelet: the node agent's PodRunner (libs/testing/src/node-agent, the same one that runs
 *   pods on the real control plane in test/cluster), so init containers, probes, crash-loop back-off,
 *   container states and pod conditions are exactly what test/cluster sees; containers are local
 *   processes (the inference image is the built worker), with their volumes bind-mounted.
 * Each pod gets its own 127.0.<subnet>.x address and listens on it at the container port; the
 * subnet is drawn at random so two stacks on one machine do not collide. The hub the model fetch
 * reaches is HF_ENDPOINT in every container's environment, where a cluster would reach huggingface.co.
 */
export class DeploymentControllerKubeletStandIn {
  private readonly runners = new Map<string, PodRunner>();
  /** Above the local clusters' subnets (FOCAL_LC_POD_SUBNET_BASE and base + 10 for the GPU node). */
  private readonly allocator = new PodIpAllocator(210 + Math.floor(Math.random() * 40));
  private readonly stateRoot = mkdtempSync(join(tmpdir(), 'focal-standin-pods-'));
  private readonly finishing = new Set<Promise<void>>();
  private readonly images = programs(resolve('.'));
  /** Names of the pods the controller created, in order. */
  readonly created: string[] = [];
  private timer?: NodeJS.Timeout;
  private seenVersion = -1;
  private syncing = false;
  /** What the kubelet part logged (container starts and exits, failed status writes), for debugging a test. */
  readonly log: Array<Record<string, unknown>> = [];

  constructor(
    private readonly server: FakeKubeApiServer,
    private readonly namespace: string,
    private readonly hubUrl: string,
  ) {}

  start(): void {
    // Every write to the server bumps its resourceVersion: a sync follows each change, as watches would trigger it.
    this.timer = setInterval(() => {
      if (this.syncing || this.server.resourceVersion === this.seenVersion) return;
      this.syncing = true;
      this.seenVersion = this.server.resourceVersion;
      try {
        this.sync();
      } finally {
        this.syncing = false;
      }
    }, TICK_MS);
  }

  /** Kills every pod's processes and removes their folders. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.runners.values()].map((runner) => runner.terminate(5, false)));
    this.runners.clear();
    await Promise.all(this.finishing);
    rmSync(this.stateRoot, { recursive: true, force: true });
  }

  /** Resolves once no pod process is left (after the pods were deleted). */
  async idle(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.runners.size > 0 || this.finishing.size > 0) {
      if (Date.now() > deadline) throw new Error(`pods still running: ${[...this.runners.keys()].join(', ')}`);
      await Promise.all(this.finishing);
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
  }

  private sync(): void {
    const pods = this.server.list(PODS, this.namespace) as Pod[];
    for (const deployment of this.server.list(DEPLOYMENTS, this.namespace) as DeploymentLike[]) {
      const owned = pods.filter((pod) =>
        (pod.metadata.ownerReferences as { uid: string }[] | undefined)?.some(
          (ref) => ref.uid === deployment.metadata.uid,
        ),
      );
      this.control(deployment, owned);
    }
    const live = this.server.list(PODS, this.namespace) as Pod[];
    for (const pod of live) this.kubelet(pod);
    // A pod deleted (by the controller, or by garbage collection with its Deployment): stop its processes.
    const uids = new Set(live.map((pod) => pod.metadata.uid));
    for (const [uid, runner] of this.runners) {
      if (uids.has(uid)) continue;
      this.runners.delete(uid);
      const done = runner.terminate(5, false).finally(() => {
        this.allocator.release(runner.ip);
        this.finishing.delete(done);
      });
      this.finishing.add(done);
    }
  }

  /** The Deployment controller's pass: scale, roll out, then the status. */
  private control(deployment: DeploymentLike, owned: Pod[]): void {
    const hash = templateHash(deployment);
    const desired = deployment.spec.replicas ?? 1;
    const current = owned.filter((pod) => pod.metadata.labels?.[TEMPLATE_HASH_LABEL] === hash);
    const old = owned.filter((pod) => pod.metadata.labels?.[TEMPLATE_HASH_LABEL] !== hash);
    const surge = Number(deployment.spec.strategy?.rollingUpdate?.maxSurge ?? 1);
    if (old.length > 0 && (surge === 0 || desired === 0 || readyCount(current) >= desired)) {
      for (const pod of old) this.deletePod(pod);
      old.length = 0;
    }
    const sorted = [...current].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    for (const pod of sorted.slice(desired)) this.deletePod(pod);
    const kept = sorted.slice(0, desired);
    if (old.length === 0 || surge > 0) {
      for (let i = kept.length; i < desired; i++) kept.push(this.createPod(deployment, hash));
    }
    this.writeStatus(deployment, hash, kept, old);
  }

  private createPod(deployment: DeploymentLike, hash: string): Pod {
    const name = `${deployment.metadata.name}-${hash}-${randomSuffix()}`;
    const template = deployment.spec.template;
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: this.namespace,
        labels: { ...template.metadata?.labels, [TEMPLATE_HASH_LABEL]: hash },
        annotations: { ...template.metadata?.annotations },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: deployment.metadata.name ?? '',
            uid: deployment.metadata.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: structuredClone(template.spec),
    };
    this.created.push(name);
    return this.server.create(PODS, pod as unknown as KubeObject) as Pod;
  }

  private deletePod(pod: Pod): void {
    try {
      this.server.delete(PODS, this.namespace, pod.metadata.name);
    } catch {
      // Already gone.
    }
  }

  /**
   * Status as the Deployment controller writes it: zero counts left out (omitempty), Available from
   * the ready pods, Progressing complete once every desired pod runs the current template and is ready.
   */
  private writeStatus(deployment: DeploymentLike, hash: string, current: Pod[], old: Pod[]): void {
    const desired = deployment.spec.replicas ?? 1;
    const ready = readyCount(current) + readyCount(old);
    const counts: Record<string, number> = {
      replicas: current.length + old.length,
      updatedReplicas: current.length,
      readyReplicas: ready,
      availableReplicas: ready,
      unavailableReplicas: Math.max(0, desired - ready),
    };
    const replicaSet = `${deployment.metadata.name}-${hash}`;
    const complete = old.length === 0 && readyCount(current) >= desired;
    const previous = (deployment.status?.conditions as Array<Record<string, string>> | undefined) ?? [];
    const conditions = [
      deploymentCondition(
        previous,
        'Available',
        ready >= desired,
        ready >= desired ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
        ready >= desired ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
      ),
      deploymentCondition(
        previous,
        'Progressing',
        true,
        complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
        complete
          ? `ReplicaSet "${replicaSet}" has successfully progressed.`
          : `ReplicaSet "${replicaSet}" is progressing.`,
      ),
    ];
    const status = {
      observedGeneration: deployment.metadata.generation,
      ...Object.fromEntries(Object.entries(counts).filter(([, value]) => value > 0)),
      conditions,
    };
    if (JSON.stringify(status) === JSON.stringify(deployment.status ?? {})) return;
    try {
      this.server.setStatus(DEPLOYMENTS, this.namespace, deployment.metadata.name ?? '', status);
    } catch {
      // Deleted meanwhile.
    }
  }

  /** Schedules a new pod onto the node, or says why it cannot; then runs it. */
  private kubelet(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    const runner = this.runners.get(uid);
    if (runner) return runner.update(pod);
    if (pod.spec.nodeName) return;
    const misfit = schedulingFailure(pod);
    if (misfit) {
      const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
      if (scheduled?.status === 'False') return;
      const condition = { type: 'PodScheduled', status: 'False' as const, reason: 'Unschedulable', message: misfit };
      this.setPodStatus(pod, { phase: 'Pending', conditions: [{ ...condition, lastTransitionTime: now() }] });
      return;
    }
    const bound = this.server.patch(PODS, this.namespace, pod.metadata.name, { spec: { nodeName: NODE_NAME } }) as Pod;
    const scheduled = { type: 'PodScheduled', status: 'True' as const, lastTransitionTime: now() };
    bound.status = { phase: 'Pending', conditions: [scheduled] };
    this.setPodStatus(bound, bound.status);
    const created = new PodRunner(
      bound,
      { podIp: this.allocator.take(), hostIp: '127.0.0.1' },
      {
        programs: this.images,
        lookup: this.lookup(),
        mintToken: () => Promise.reject(new Error('model pods mount no ServiceAccount token')),
        writeStatus: async (p, status) => this.setPodStatus(p, status as Pod['status']),
        deletePod: async () => undefined,
        log: (line) => void this.log.push(line),
        baseEnv: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: process.env.HOME ?? tmpdir(),
          HF_ENDPOINT: this.hubUrl,
        },
        repo: resolve('.'),
        stateRoot: this.stateRoot,
        backoff: { baseMs: 1000, maxMs: 30_000 },
      },
    );
    this.runners.set(uid, created);
    void created.run().catch((error: Error) => this.log.push({ msg: 'pod runner failed', error: error.message }));
  }

  private setPodStatus(pod: Pod, status: Pod['status']): void {
    try {
      this.server.setStatus(PODS, this.namespace, pod.metadata.name, status);
    } catch {
      // Deleted meanwhile: nothing left to report on.
    }
  }

  /** Secrets and ConfigMaps as the kubelet reads them: base64 `data` decoded. */
  private lookup(): ObjectLookup {
    const read = (resource: string, namespace: string, name: string) => {
      const object = this.server.get(resource, namespace, name) as { data?: Record<string, string> } | undefined;
      return object ? (object.data ?? {}) : undefined;
    };
    return {
      configMap: async (namespace, name) => read(FAKE_KUBE_RESOURCES.configMaps, namespace, name),
      secret: async (namespace, name) => {
        const data = read(FAKE_KUBE_RESOURCES.secrets, namespace, name);
        if (!data) return undefined;
        return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
      },
    };
  }
}

/**
 * The scheduler's verdict on the one node, in its words: the first failing filter (NodeAffinity
 * before NodeResourcesFit, as in the default profile) and the preemption summary it appends.
 */
export function schedulingFailure(pod: Pod): string | undefined {
  const spec = pod.spec as Pod['spec'] & { nodeSelector?: Record<string, string> };
  const selector = spec.nodeSelector ?? {};
  if (Object.entries(selector).some(([key, value]) => NODE_LABELS[key] !== value)) {
    return (
      "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. " +
      'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.'
    );
  }
  for (const container of spec.containers as Array<{ resources?: { limits?: Record<string, unknown> } }>) {
    for (const [resource, amount] of Object.entries(container.resources?.limits ?? {})) {
      if (resource.includes('/') && Number(amount) > (NODE_CAPACITY[resource] ?? 0)) {
        return (
          `0/1 nodes are available: 1 Insufficient ${resource}. ` +
          'preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.'
        );
      }
    }
  }
  return undefined;
}

function readyCount(pods: Pod[]): number {
  return pods.filter((pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
}

/** The controller's pod-template-hash: ten characters from the template, so a changed template makes new pods. */
function templateHash(deployment: DeploymentLike): string {
  const digest = createHash('sha256').update(JSON.stringify(deployment.spec.template)).digest('hex');
  return digest
    .replace(/[^b-df-hj-np-tv-z2-9]/g, '')
    .slice(0, 10)
    .padEnd(10, 'x');
}

function deploymentCondition(
  previous: Array<Record<string, string>>,
  type: string,
  ok: boolean,
  reason: string,
  message: string,
): Record<string, string> {
  const status = ok ? 'True' : 'False';
  const before = previous.find((c) => c.type === type);
  const unchanged = before?.status === status && before.reason === reason;
  const time = unchanged ? before.lastTransitionTime : now();
  return {
    type,
    status,
    reason,
    message,
    lastUpdateTime: unchanged ? before.lastUpdateTime : time,
    lastTransitionTime: time,
  };
}

function randomSuffix(): string {
  const letters = 'bcdfghjklmnpqrstvwxz2456789';
  return Array.from({ length: 5 }, () => letters[Math.floor(Math.random() * letters.length)]).join('');
}

const now = () => `${new Date().toISOString().slice(0, 19)}Z`;
