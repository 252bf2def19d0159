import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { imagePrograms } from './image.programs.js';
import { serveCri } from './cri.server.js';
import { ImageStore } from './image.store.js';
import { killLeftoverGroups, ProcessRuntime } from './process.runtime.js';

/**
 * The container runtime of one local node, for a real kubelet (scripts/local-cluster.sh starts a pair per node):
 * a CRI server on a unix socket whose containers are local processes. See process.runtime.ts.
 */
const { values } = parseArgs({
  options: {
    socket: { type: 'string' },
    state: { type: 'string' },
    repo: { type: 'string' },
    proto: { type: 'string' },
    'apiserver-port': { type: 'string' },
    'pod-subnet': { type: 'string' },
    'runtime-handler': { type: 'string', multiple: true, default: [] },
  },
});
const required = (name: 'socket' | 'state' | 'repo' | 'proto' | 'apiserver-port' | 'pod-subnet'): string => {
  const value = values[name];
  if (typeof value !== 'string' || !value) throw new Error(`--${name} is required`);
  return value;
};

const log = (entry: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);

async function main(): Promise<void> {
  const socket = required('socket');
  const stateRoot = required('state');
  const port = required('apiserver-port');
  mkdirSync(stateRoot, { recursive: true });
  const leftovers = killLeftoverGroups(stateRoot);
  if (leftovers > 0) log({ msg: 'killed the containers a previous runtime left', groups: leftovers });
  mkdirSync(path.dirname(socket), { recursive: true });
  rmSync(socket, { force: true });
  const images = new ImageStore(imagePrograms(required('repo')));
  const handlers = ['', ...(values['runtime-handler'] ?? [])];
  const runtime = new ProcessRuntime({
    images,
    podSubnet: Number(required('pod-subnet')),
    runtimeHandlers: handlers,
    stateRoot,
    repo: required('repo'),
    // The kubelet sets KUBERNETES_SERVICE_HOST to the kubernetes Service's ClusterIP, which nothing routes here
    // (and nothing may connect to): a pod reaches the API server at its loopback address instead.
    baseEnv: {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: port,
      KUBERNETES_SERVICE_PORT_HTTPS: port,
      KUBERNETES_PORT: `tcp://127.0.0.1:${port}`,
      KUBERNETES_PORT_443_TCP: `tcp://127.0.0.1:${port}`,
      KUBERNETES_PORT_443_TCP_ADDR: '127.0.0.1',
      KUBERNETES_PORT_443_TCP_PORT: port,
    },
    log,
  });
  const server = await serveCri({
    protoFile: required('proto'),
    socket,
    runtime,
    images,
    runtimeHandlers: handlers,
    stateRoot,
  });
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    log({ msg: 'process runtime stopping: stopping containers' });
    await runtime.stopAll();
    server.forceShutdown();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  log({ msg: 'process runtime serving', socket, handlers });
}

main().catch((error: Error) => {
  log({ msg: 'process runtime failed', error: error.stack ?? error.message });
  process.exit(1);
});
