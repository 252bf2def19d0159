import { KubeHttpError, type KubeHttpClient } from './kubernetes/kube-http.client.js';
import { leaseObject, nodeObject, nodeStatus, type SimulatedNode } from './simulated-node.js';

const HEARTBEAT_MS = 10_000;

/** MicroTime: RFC 3339 with microseconds (a Date has milliseconds, so three zeros). */
const microTime = () => new Date().toISOString().replace('Z', '000Z');

/** Registers the nodes and keeps their status and Lease fresh, as a kubelet does every 10 s. */
export class NodeHeartbeat {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly kube: KubeHttpClient,
    private readonly nodes: SimulatedNode[],
    private readonly kubeletVersion: string,
    private readonly log: (msg: Record<string, unknown>) => void,
  ) {}

  async start(): Promise<void> {
    for (const node of this.nodes) await this.register(node);
    await this.beat();
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async register(node: SimulatedNode): Promise<void> {
    const now = new Date().toISOString();
    try {
      await this.kube.request('POST', '/api/v1/nodes', nodeObject(node, this.kubeletVersion, now));
      this.log({ msg: 'registered node', node: node.name });
    } catch (error) {
      if (!(error instanceof KubeHttpError && error.status === 409)) throw error;
      // Registered by an earlier agent: take over its labels, taints and status.
      const { metadata, spec } = nodeObject(node, this.kubeletVersion, now);
      await this.kube.request(
        'PATCH',
        `/api/v1/nodes/${node.name}`,
        { metadata: { labels: metadata.labels }, spec: { taints: spec.taints ?? null } },
        'application/merge-patch+json',
      );
    }
  }

  private async beat(): Promise<void> {
    const now = new Date().toISOString();
    for (const node of this.nodes) {
      try {
        await this.kube.request(
          'PATCH',
          `/api/v1/nodes/${node.name}/status`,
          { status: nodeStatus(node, this.kubeletVersion, now) },
          'application/merge-patch+json',
        );
        await this.renewLease(node);
      } catch (error) {
        this.log({ msg: 'heartbeat failed', node: node.name, error: (error as Error).message });
      }
    }
  }

  private async renewLease(node: SimulatedNode): Promise<void> {
    const path = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node.name}`;
    const lease = leaseObject(node, microTime());
    try {
      await this.kube.request('PATCH', path, { spec: lease.spec }, 'application/merge-patch+json');
    } catch (error) {
      if (!(error instanceof KubeHttpError && error.status === 404)) throw error;
      await this.kube.request('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', lease);
    }
  }
}
