import type { INestApplicationContext } from '@nestjs/common';
import { buildOperatorConfig, type OperatorConfig } from '@focal/config';
import {
  MODEL_DEPLOYMENT_API_VERSION,
  MODEL_DEPLOYMENT_KIND,
  type ModelDeployment,
  type ModelDeploymentSpec,
} from '@focal/contracts';
import { MetricsRegistry } from '@focal/platform';
import { FAKE_KUBE_RESOURCES, FakeKubeApiServer, type KubeObject } from '@focal/testing';
import type { OperatorLog } from '../../../apps/operator/src/common/operator-log.js';
import { createKubeAdapters } from '../../../apps/operator/src/kubernetes/kube-adapters.factory.js';
import { createOperatorContext } from '../../../apps/operator/src/operator.module.js';
import { OperatorRunner } from '../../../apps/operator/src/operator.runner.js';

export const NS = 'focal';
export const MD_COLLECTION = `/apis/focal.dev/v1alpha1/namespaces/${NS}/modeldeployments`;
export const DEPLOYMENT_COLLECTION = `/apis/apps/v1/namespaces/${NS}/deployments`;
export const SERVICE_COLLECTION = `/api/v1/namespaces/${NS}/services`;

/** Keeps every log line, so a failing test can show what the operator did. */
export class RecordingLog implements OperatorLog {
  readonly lines: Array<{ level: string } & Record<string, unknown>> = [];
  log = (message: Record<string, unknown>) => void this.lines.push({ level: 'log', ...message });
  warn = (message: Record<string, unknown>) => void this.lines.push({ level: 'warn', ...message });
  error = (message: Record<string, unknown>) => void this.lines.push({ level: 'error', ...message });
  debug = (message: Record<string, unknown>) => void this.lines.push({ level: 'debug', ...message });

  messages(level?: string): string[] {
    return this.lines.filter((l) => !level || l.level === level).map((l) => String(l.msg));
  }
}

export interface RunningOperator {
  app: INestApplicationContext;
  runner: OperatorRunner;
  config: OperatorConfig;
  metrics: MetricsRegistry;
  log: RecordingLog;
  /** Sum of a metric's values whose labels include `labels`. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** Graceful shutdown, as on SIGTERM. */
  stop(): Promise<void>;
}

/**
 * Environment for an operator under test: the chart's settings, with timings shortened so leader
 * election and retries happen within a test, and no periodic resync so every reconcile is caused by
 * a watch event the test can reason about.
 */
export function testEnv(identity: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    FOCAL_OPERATOR_NAMESPACE: NS,
    FOCAL_POD_NAME: identity,
    FOCAL_OPERATOR_METRICS_HOST: '127.0.0.1',
    FOCAL_OPERATOR_METRICS_PORT: '0',
    FOCAL_LEADER_ELECTION: 'false',
    FOCAL_LEADER_ELECTION_LEASE_NAME: 'focal-operator',
    FOCAL_LEADER_ELECTION_LEASE_DURATION_SECONDS: '2',
    FOCAL_LEADER_ELECTION_RENEW_PERIOD_MS: '200',
    FOCAL_LEADER_ELECTION_RENEW_DEADLINE_MS: '1500',
    FOCAL_LEADER_ELECTION_RETRY_PERIOD_MS: '100',
    FOCAL_OPERATOR_BACKOFF_BASE_MS: '20',
    FOCAL_OPERATOR_BACKOFF_MAX_MS: '500',
    FOCAL_OPERATOR_RESYNC_SECONDS: '0',
    FOCAL_OPERATOR_SHUTDOWN_TIMEOUT_MS: '5000',
    FOCAL_INFERENCE_IMAGE: 'focal/inference:test',
    FOCAL_INFERENCE_CUDA_IMAGE: 'focal/inference-cuda:test',
    FOCAL_GPU_NODE_SELECTOR: '{"nvidia.com/gpu.present":"true"}',
    FOCAL_GPU_TOLERATIONS: '[{"key":"nvidia.com/gpu","operator":"Exists","effect":"NoSchedule"}]',
    FOCAL_GPU_RUNTIME_CLASS: 'nvidia',
    FOCAL_GPU_RESOURCE_NAME: 'nvidia.com/gpu',
    FOCAL_HF_TOKEN_SECRET: 'focal-hf-token',
    FOCAL_HF_TOKEN_SECRET_KEY: 'hf-token',
    ...overrides,
  };
}

/** The real operator (Nest context, client-node adapters) against the fake API server. */
export async function startOperator(
  server: FakeKubeApiServer,
  identity = 'operator-a',
  env: Record<string, string> = {},
): Promise<RunningOperator> {
  const config = buildOperatorConfig(testEnv(identity, env));
  const log = new RecordingLog();
  const metrics = new MetricsRegistry('operator');
  const kube = createKubeAdapters({ kind: 'options', options: server.kubeConfig() }, { initialMs: 50, maxMs: 500 });
  const app = await createOperatorContext({ config, kube, metrics, log });
  await app.init();
  const metric = async (name: string, labels: Record<string, string> = {}) => {
    const values = (await metrics.registry.getSingleMetric(name)?.get())?.values ?? [];
    return values
      .filter((v) => Object.entries(labels).every(([k, want]) => (v.labels as Record<string, unknown>)[k] === want))
      .reduce((sum, v) => sum + v.value, 0);
  };
  let stopped: Promise<void> | undefined;
  return {
    app,
    runner: app.get(OperatorRunner),
    config,
    metrics,
    log,
    metric,
    stop: () => (stopped ??= app.close()),
  };
}

export function modelDeployment(name: string, spec: Partial<ModelDeploymentSpec> = {}): ModelDeployment {
  return {
    apiVersion: MODEL_DEPLOYMENT_API_VERSION,
    kind: MODEL_DEPLOYMENT_KIND,
    metadata: { name, namespace: NS },
    spec: {
      modelType: 'dinov3',
      modelId: 'onnx-community/dinov3-vits16-pretrain-lvd1689m-ONNX',
      device: 'cpu',
      ...spec,
    },
  };
}

export function createMd(
  server: FakeKubeApiServer,
  name: string,
  spec: Partial<ModelDeploymentSpec> = {},
): ModelDeployment {
  return server.create(
    FAKE_KUBE_RESOURCES.modelDeployments,
    modelDeployment(name, spec) as unknown as KubeObject,
  ) as unknown as ModelDeployment;
}

export function getMd(server: FakeKubeApiServer, name: string): ModelDeployment | undefined {
  return server.get(FAKE_KUBE_RESOURCES.modelDeployments, NS, name) as unknown as ModelDeployment | undefined;
}

export function getDeployment(server: FakeKubeApiServer, name: string): any {
  return server.get(FAKE_KUBE_RESOURCES.deployments, NS, `focal-model-${name}`);
}

export function getService(server: FakeKubeApiServer, name: string): any {
  return server.get(FAKE_KUBE_RESOURCES.services, NS, `focal-model-${name}`);
}

export function eventsFor(server: FakeKubeApiServer, name: string): any[] {
  return server.list(FAKE_KUBE_RESOURCES.events, NS).filter((e: any) => e.involvedObject?.name === name);
}

export function requestsTo(server: FakeKubeApiServer, method: string, path: string): number {
  return server.requests().filter((r) => r.method === method && r.path === path).length;
}

/** Waits for the ModelDeployment's status to satisfy `check`. */
export function statusOf(
  server: FakeKubeApiServer,
  name: string,
  check: (md: ModelDeployment) => boolean,
  what: string,
  timeoutMs = 5000,
): Promise<ModelDeployment> {
  return eventually(
    () => {
      const md = getMd(server, name);
      return md && check(md) ? md : undefined;
    },
    what,
    timeoutMs,
  );
}

export function phaseOf(server: FakeKubeApiServer, name: string, phase: string): Promise<ModelDeployment> {
  return statusOf(server, name, (md) => md.status?.phase === phase, `${name} to be ${phase}`);
}

/**
 * Waits until the operator has had nothing to do for `quietMs`: no reconcile started or finished.
 * Tests use it before asserting that something did not happen.
 */
export async function settle(operator: RunningOperator, quietMs = 300, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = await operator.metric('focal_operator_reconciles_total');
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > deadline) throw new Error('the operator did not settle');
    await new Promise((resolve) => setTimeout(resolve, 25));
    const now = await operator.metric('focal_operator_reconciles_total');
    const depth = await operator.metric('focal_operator_queue_depth');
    if (now !== last || depth > 0) {
      last = now;
      since = Date.now();
    }
  }
}

/** Polls until `probe` (sync or async) gives a value other than undefined. */
export async function eventually<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A fresh fake API server for each test, and the operators a test starts through `start`, all stopped
 * after it. Call once at the top of a test file.
 */
export function useFakeCluster(defaultEnv: Record<string, string> = {}) {
  let current: FakeKubeApiServer | undefined;
  const operators: RunningOperator[] = [];
  beforeEach(async () => {
    current = new FakeKubeApiServer();
    await current.start();
  });
  afterEach(async () => {
    for (const operator of operators.splice(0)) await operator.stop();
    await current?.stop();
  });
  return {
    get server(): FakeKubeApiServer {
      if (!current) throw new Error('useFakeCluster: the server exists only inside a test');
      return current;
    },
    async start(identity: string, env: Record<string, string> = {}): Promise<RunningOperator> {
      const operator = await startOperator(this.server, identity, { ...defaultEnv, ...env });
      operators.push(operator);
      return operator;
    },
  };
}
