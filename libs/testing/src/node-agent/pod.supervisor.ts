import { KubeHttpError, type KubeHttpClient, type WatchEvent } from './kubernetes/kube-http.client.js';
import { PodIpAllocator } from './pod-ip.allocator.js';
import { PodRunner, type PodRunnerDeps } from './pod.runner.js';
import type { ObjectLookup, Pod } from './pod.types.js';
import type { SimulatedNode } from './simulated-node.js';

const decode = (data: Record<string, string> | undefined) =>
  Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));

/** Secrets and ConfigMaps read straight from the API server, as the kubelet reads them for a pod. */
export function apiLookup(kube: KubeHttpClient): ObjectLookup {
  const get = async <T>(path: string): Promise<T | undefined> => {
    try {
      return await kube.request<T>('GET', path);
    } catch (error) {
      if (error instanceof KubeHttpError && error.status === 404) return undefined;
      throw error;
    }
  };
  return {
    configMap: async (ns, name) => {
      const configMap = await get<{ data?: Record<string, string> }>(`/api/v1/namespaces/${ns}/configmaps/${name}`);
      // An existing ConfigMap without data is empty, not missing.
      return configMap ? (configMap.data ?? {}) : undefined;
    },
    secret: async (ns, name) => {
      const secret = await get<{ data?: Record<string, string> }>(`/api/v1/namespaces/${ns}/secrets/${name}`);
      return secret ? decode(secret.data) : undefined;
    },
  };
}

/**
 * Watches the pods bound to the agent's nodes and keeps one PodRunner per pod: a new pod starts,
 * a pod marked for deletion is terminated with its grace period, a pod removed outright is killed.
 */
export class PodSupervisor {
  private readonly runners = new Map<string, PodRunner>();
  private readonly allocators: Map<string, PodIpAllocator>;

  constructor(
    private readonly kube: KubeHttpClient,
    nodes: SimulatedNode[],
    private readonly deps: Omit<PodRunnerDeps, 'writeStatus' | 'deletePod'>,
  ) {
    this.allocators = new Map(nodes.map((n) => [n.name, new PodIpAllocator(n.subnet)]));
  }

  start(): Promise<void> {
    return this.kube.watch<Pod>('/api/v1/pods', (event) => this.onEvent(event));
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.runners.values()].map((runner) => runner.terminate(5, false)));
  }

  private onEvent({ type, object: pod }: WatchEvent<Pod>): void {
    const node = pod.spec.nodeName;
    const allocator = node ? this.allocators.get(node) : undefined;
    if (!allocator) return;
    const uid = pod.metadata.uid ?? '';
    const runner = this.runners.get(uid);
    if (type === 'DELETED') {
      if (runner) void this.finish(uid, runner, allocator, 0, false);
      return;
    }
    if (pod.metadata.deletionTimestamp) {
      const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
      if (runner) void this.finish(uid, runner, allocator, grace, true);
      else void this.remove(pod);
      return;
    }
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
    if (runner) return runner.update(pod);
    const created = new PodRunner(
      pod,
      { podIp: allocator.take(), hostIp: '127.0.0.1' },
      {
        ...this.deps,
        writeStatus: (p, status) => this.writeStatus(p, status),
        deletePod: (p) => this.remove(p),
      },
    );
    this.runners.set(uid, created);
    this.deps.log({ msg: 'pod assigned', pod: `${pod.metadata.namespace}/${pod.metadata.name}`, node, ip: created.ip });
    void created
      .run()
      .catch((error: Error) =>
        this.deps.log({ msg: 'pod runner failed', pod: pod.metadata.name, error: error.message }),
      );
  }

  private async finish(
    uid: string,
    runner: PodRunner,
    allocator: PodIpAllocator,
    grace: number,
    removeObject: boolean,
  ) {
    await runner.terminate(grace, removeObject);
    allocator.release(runner.ip);
    this.runners.delete(uid);
  }

  private async writeStatus(pod: Pod, status: unknown): Promise<void> {
    const { namespace = 'default', name } = pod.metadata;
    try {
      await this.kube.request(
        'PATCH',
        `/api/v1/namespaces/${namespace}/pods/${name}/status`,
        { status },
        'application/merge-patch+json',
      );
    } catch (error) {
      if (!(error instanceof KubeHttpError && error.status === 404)) throw error;
    }
  }

  /** The kubelet's final delete: grace 0, only this incarnation of the pod (uid precondition). */
  private async remove(pod: Pod): Promise<void> {
    const { namespace = 'default', name, uid } = pod.metadata;
    try {
      await this.kube.request('DELETE', `/api/v1/namespaces/${namespace}/pods/${name}`, {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        gracePeriodSeconds: 0,
        preconditions: { uid },
      });
    } catch (error) {
      if (!(error instanceof KubeHttpError && (error.status === 404 || error.status === 409))) throw error;
    }
  }
}
