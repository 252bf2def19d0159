import { parseArgs } from 'node:util';
import { imagePrograms } from './image.programs.js';
import { KubeHttpClient } from './kubernetes/kube-http.client.js';
import { NodeHeartbeat } from './node.heartbeat.js';
import { apiLookup, PodSupervisor } from './pod.supervisor.js';
import type { Pod } from './pod.types.js';
import { defaultNodes } from './simulated-node.js';

/**
 * The node agent: Focal's stand-in for the kubelet and container runtime on a machine without Docker.
 * It registers simulated nodes on a real API server and runs the pods the real scheduler binds to
 * them as local processes (scripts/local-cluster.sh starts it).
 */
const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    state: { type: 'string' },
    'apiserver-port': { type: 'string' },
    repo: { type: 'string' },
    ca: { type: 'string' },
    'kubelet-version': { type: 'string', default: 'v1.36.3' },
    'restart-backoff-ms': { type: 'string', default: '1000' },
    'pod-subnet-base': { type: 'string', default: '10' },
    'restart-backoff-max-ms': { type: 'string', default: '30000' },
  },
});
const required = (name: keyof typeof values): string => {
  const value = values[name];
  if (typeof value !== 'string' || !value) throw new Error(`--${name} is required`);
  return value;
};

const log = (msg: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...msg })}\n`);

async function main(): Promise<void> {
  const kube = KubeHttpClient.fromFile(required('kubeconfig'));
  const nodes = defaultNodes(Number(values['pod-subnet-base']));
  const port = required('apiserver-port');
  const heartbeat = new NodeHeartbeat(kube, nodes, values['kubelet-version'] ?? 'v1.36.3', log);
  await heartbeat.start();

  const mintToken = async (pod: Pod, audience: string | undefined, expirationSeconds: number) => {
    const { namespace = 'default', name, uid } = pod.metadata;
    const sa = pod.spec.serviceAccountName ?? 'default';
    const response = await kube.request<{ status: { token: string } }>(
      'POST',
      `/api/v1/namespaces/${namespace}/serviceaccounts/${sa}/token`,
      {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: {
          ...(audience ? { audiences: [audience] } : {}),
          expirationSeconds: Math.max(600, expirationSeconds),
          boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name, uid },
        },
      },
    );
    return response.status.token;
  };

  const supervisor = new PodSupervisor(kube, nodes, {
    programs: imagePrograms(required('repo')),
    lookup: apiLookup(kube),
    mintToken,
    log,
    // What a container finds in its environment before the pod's own variables: the API server
    // through KUBERNETES_SERVICE_HOST/PORT, which here is its loopback address, never a ClusterIP.
    baseEnv: {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: port,
      KUBERNETES_SERVICE_PORT_HTTPS: port,
      KUBERNETES_PORT: `tcp://127.0.0.1:${port}`,
    },
    repo: required('repo'),
    stateRoot: required('state'),
    backoff: { baseMs: Number(values['restart-backoff-ms']), maxMs: Number(values['restart-backoff-max-ms']) },
  });
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    log({ msg: 'node agent stopping: terminating pods' });
    kube.stop();
    heartbeat.stop();
    await supervisor.stopAll();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  log({ msg: 'node agent running', nodes: nodes.map((n) => n.name) });
  await supervisor.start();
}

main().catch((error: Error) => {
  log({ msg: 'node agent failed', error: error.stack ?? error.message });
  process.exit(1);
});
