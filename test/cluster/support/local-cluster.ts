import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real control plane the tests run on: scripts/local-cluster.sh up (kube-apiserver, controller-manager,
 * scheduler, etcd, and two real kubelets over the process runtime that runs pods as local processes).
 * scripts/test.sh starts it and sets FOCAL_TEST_KUBECONFIG and FOCAL_TEST_CLUSTER_STATE; without them these tests
 * fail, they never skip.
 */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TOOLS = path.join(process.env.FOCAL_TOOLS_DIR ?? path.join(REPO, '.tools'), 'bin');
export const KUBECTL = path.join(TOOLS, 'kubectl');
export const HELM = path.join(TOOLS, 'helm');
export const LOCAL_VALUES = path.join(REPO, 'deploy/local-cluster/values.yaml');
export const CHART = path.join(REPO, 'charts/focal');

export function clusterEnv(): { kubeconfig: string; state: string } {
  const kubeconfig = process.env.FOCAL_TEST_KUBECONFIG;
  const state = process.env.FOCAL_TEST_CLUSTER_STATE;
  if (!kubeconfig || !state || !existsSync(kubeconfig)) {
    throw new Error(
      'no local cluster: run `bash scripts/local-cluster.sh up` and set FOCAL_TEST_KUBECONFIG and ' +
        'FOCAL_TEST_CLUSTER_STATE (scripts/test.sh does both)',
    );
  }
  return { kubeconfig, state };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], input?: string): Promise<RunResult> {
  const { kubeconfig } = clusterEnv();
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { env: { ...process.env, KUBECONFIG: kubeconfig }, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** kubectl, failing the test with its stderr when it fails. */
export async function kubectl(args: string[], input?: string): Promise<string> {
  const result = await run(KUBECTL, args, input);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}

export async function kubectlJson<T = any>(args: string[]): Promise<T> {
  return JSON.parse(await kubectl([...args, '-o', 'json'])) as T;
}

export async function helm(args: string[]): Promise<string> {
  const result = await run(HELM, args);
  if (result.code !== 0) throw new Error(`helm ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}

/** Polls until `probe` gives something other than undefined; the error names what never happened. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

let counter = 0;
/** A fresh namespace per test file, so files never see each other's objects. */
export async function freshNamespace(prefix: string): Promise<string> {
  const name = `${prefix}-${process.pid}-${++counter}`;
  await kubectl(['create', 'namespace', name]);
  return name;
}

export async function deleteNamespace(name: string): Promise<void> {
  await run(KUBECTL, ['delete', 'namespace', name, '--wait=false']);
}

/** helm install of the chart with the local-cluster values, waiting until every pod is Ready. */
export async function installFocal(namespace: string, extra: string[] = []): Promise<void> {
  // The Redis `up` started; scripts/test.sh runs its own cluster, with its own Redis port.
  const redis = process.env.FOCAL_TEST_CLUSTER_REDIS_URL;
  const redisSet = redis ? ['--set', `redis.external.url=${redis}`] : [];
  await helm([
    'install',
    'focal',
    CHART,
    '-n',
    namespace,
    '-f',
    LOCAL_VALUES,
    '--wait',
    '--timeout',
    '180s',
    ...redisSet,
    ...extra,
  ]);
}

export interface PodSummary {
  name: string;
  uid: string;
  ip: string;
  node: string;
  ready: boolean;
  restarts: number;
  serviceAccount: string;
  labels: Record<string, string>;
  deleting: boolean;
}

export async function pods(namespace: string, selector: string): Promise<PodSummary[]> {
  const list = await kubectlJson<{ items: any[] }>(['get', 'pods', '-n', namespace, '-l', selector]);
  return list.items.map((pod) => ({
    name: pod.metadata.name,
    uid: pod.metadata.uid,
    ip: pod.status?.podIP ?? '',
    node: pod.spec.nodeName ?? '',
    ready: (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'),
    restarts: (pod.status?.containerStatuses ?? []).reduce((n: number, c: any) => n + (c.restartCount ?? 0), 0),
    serviceAccount: pod.spec.serviceAccountName ?? '',
    labels: pod.metadata.labels ?? {},
    deleting: Boolean(pod.metadata.deletionTimestamp),
  }));
}

/** Ready pods of a selector, once there are exactly `count` and none is terminating. */
export function readyPods(namespace: string, selector: string, count: number, timeoutMs = 120_000) {
  return until(
    `${count} ready pod(s) ${selector} in ${namespace}`,
    async () => {
      const all = await pods(namespace, selector);
      const ready = all.filter((p) => p.ready && !p.deleting);
      return ready.length === count && all.length === count ? ready : undefined;
    },
    timeoutMs,
  );
}

export const API_SELECTOR = 'app.kubernetes.io/component=api';
export const OPERATOR_SELECTOR = 'app.kubernetes.io/component=operator';
export const modelSelector = (md: string) => `app.kubernetes.io/name=focal-model,app.kubernetes.io/instance=${md}`;

/** The operator's /healthz, /readyz and /metrics at a pod's IP (the chart's operator.metricsPort). */
export const operatorUrl = (pod: PodSummary, route: '/healthz' | '/readyz' | '/metrics') =>
  `http://${pod.ip}:8081${route}`;

/** The URL of the ready API pod: its pod IP, on which it listens (no Service, no port-forward). */
export async function apiUrl(namespace: string): Promise<string> {
  const [api] = await readyPods(namespace, API_SELECTOR, 1);
  return `http://${api?.ip}:8000`;
}

/** A container's output so far, as the API server serves it from the pod's kubelet (`kubectl logs`). */
export async function containerLog(namespace: string, pod: PodSummary, container: string): Promise<string> {
  const result = await run(KUBECTL, ['logs', '-n', namespace, pod.name, '-c', container]);
  if (result.code !== 0) throw new Error(`kubectl logs ${pod.name} -c ${container} failed: ${result.stderr}`);
  return result.stdout;
}

/**
 * A container's output from now until it ends (`kubectl logs --follow`): what a pod says while it is deleted, which
 * `containerLog` cannot read once the kubelet has removed the pod. Resolves once the output so far has arrived.
 */
export async function followContainerLog(
  namespace: string,
  pod: PodSummary,
  container: string,
): Promise<{ ended: Promise<string> }> {
  const child = spawn(KUBECTL, ['logs', '--follow', '-n', namespace, pod.name, '-c', container], {
    env: { ...process.env, KUBECONFIG: clusterEnv().kubeconfig },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  // The container's end closes the stream (exit 0); a failed kubectl is no log, not a short one.
  const ended = new Promise<string>((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`kubectl logs -f exited ${code}`)))),
  );
  ended.catch(() => undefined);
  try {
    await until(`the log of ${pod.name}/${container}`, async () => (text.length > 0 ? true : undefined));
  } catch (error) {
    child.kill();
    throw error;
  }
  return { ended };
}

/**
 * Signals a container's process group, as a crash or an OOM kill would end it: the process runtime of the pod's
 * node records each running container's group under its state folder (scripts/local-cluster.sh).
 */
export function signalContainer(pod: PodSummary, container: string, signal: NodeJS.Signals): void {
  const file = path.join(clusterEnv().state, 'nodes', pod.node, 'runtime', 'pods', pod.uid, `${container}.pgid`);
  process.kill(-Number(readFileSync(file, 'utf8')), signal);
}

export async function apply(namespace: string, manifest: string): Promise<string> {
  return kubectl(['apply', '-n', namespace, '-f', '-'], manifest);
}

/** A ModelDeployment manifest for `apply` (JSON is YAML); several join with `---`. */
export function modelDeploymentManifest(name: string, spec: Record<string, unknown>): string {
  return `${JSON.stringify({ apiVersion: 'focal.dev/v1alpha1', kind: 'ModelDeployment', metadata: { name }, spec })}\n`;
}

export function demoModelDeployment(name: string, modelType: string, device = 'cpu', replicas = 1): string {
  return modelDeploymentManifest(name, { modelType, modelId: 'demo', device, replicas });
}

export async function modelDeployment(namespace: string, name: string): Promise<any> {
  return kubectlJson(['get', 'modeldeployment', name, '-n', namespace]);
}

/** The ModelDeployment once its status reaches `phase`. */
export function modelDeploymentInPhase(namespace: string, name: string, phase: string, timeoutMs = 60_000) {
  return until(
    `${name} ${phase}`,
    async () => {
      const md = await modelDeployment(namespace, name);
      return md.status?.phase === phase ? md : undefined;
    },
    timeoutMs,
  );
}

/** A ModelDeployment's state in one watch event: phase, replicas and observedGeneration. */
export interface WatchedState {
  phase: string;
  replicas: number;
  observedGeneration: number;
}

/**
 * Every state a ModelDeployment's status passes through, from `kubectl get --watch`: each write is an event, so a
 * phase held for a moment is seen, where polling could miss it. Resolves once the current state has arrived.
 */
export async function watchModelDeployment(
  namespace: string,
  name: string,
): Promise<{ states: () => WatchedState[]; stop: () => Promise<WatchedState[]> }> {
  const template = '{.status.phase}|{.status.replicas}|{.status.observedGeneration}{"\\n"}';
  const child = spawn(
    KUBECTL,
    ['get', 'modeldeployment', name, '-n', namespace, '--watch', '-o', `jsonpath=${template}`],
    {
      env: { ...process.env, KUBECONFIG: clusterEnv().kubeconfig },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const states = () =>
    text
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .map((line) => {
        const [phase = '', replicas = '0', observedGeneration = '0'] = line.trim().split('|');
        return { phase, replicas: Number(replicas), observedGeneration: Number(observedGeneration) };
      });
  await until(`a watch on ${name}`, async () => (states().length > 0 ? true : undefined));
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return {
    states,
    // Every state read so far, once the pipe has drained: a state still in it would otherwise go unseen.
    stop: async () => {
      child.kill();
      await closed;
      return states();
    },
  };
}

/** A ModelDeployment's conditions as {type: "status/reason"}. */
export function conditionReasons(md: any): Record<string, string> {
  return Object.fromEntries(
    (md.status?.conditions ?? []).map((c: { type: string; status: string; reason: string }) => [
      c.type,
      `${c.status}/${c.reason}`,
    ]),
  );
}

/** The Events recorded on a ModelDeployment (the operator's EventRecorder, through the Events API). */
export async function modelDeploymentEvents(
  namespace: string,
  name: string,
): Promise<Array<{ reason: string; type: string; message: string }>> {
  const list = await kubectlJson<{ items: Array<{ reason: string; type: string; message: string }> }>([
    'get',
    'events',
    '-n',
    namespace,
    '--field-selector',
    `involvedObject.kind=ModelDeployment,involvedObject.name=${name}`,
  ]);
  return list.items;
}
