import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MODEL_DEPLOYMENT_API_VERSION,
  MODEL_DEPLOYMENT_KIND,
  type ModelDeployment,
  type ModelDeploymentSpec,
  type ModelDeploymentStatus,
  type ModelType,
} from '@focal/contracts';
import { FAKE_KUBE_RESOURCES, FakeKubeApiServer, type KubeObject, type RequestRecord } from '@focal/testing';
import { type FocalApi, startFocalApi } from '../../support/focal-api.process.js';
import { getJson } from '../../support/test-images.js';
import { type InferenceWorker, startInferenceWorker } from './inference-worker.process.js';
import { OperatorSimulator } from './operator.simulator.js';

export const NS = 'focal-models';
export const MDS = FAKE_KUBE_RESOURCES.modelDeployments;
export const MD_COLLECTION = `/apis/focal.dev/v1alpha1/namespaces/${NS}/modeldeployments`;
/**
 * A real-looking repo id, so the tests show the API passes the caller's model id through; the
 * worker behind every Service serves the demo model whatever the ModelDeployment names.
 */
export const MODEL_ID = 'onnx-community/dinov3-vits16-pretrain-lvd1689m-ONNX';
export const OTHER_MODEL_ID = 'onnx-community/dinov3-vitb16-pretrain-lvd1689m-ONNX';
export const LOAD_TIMEOUT_MS = 3000;

export interface KubernetesStack {
  server: FakeKubeApiServer;
  operator: OperatorSimulator;
  worker: InferenceWorker;
  api: FocalApi;
  /** A client-node client for acting as a user with kubectl would. */
  custom: CustomObjectsApi;
  /** Deletes every ModelDeployment and waits until the API reports every model unloaded. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The fake API server, an operator simulator, a real inference worker standing in for every
 * model's pods (FOCAL_K8S_SERVICE_URL points at it), and the real API as a child process in
 * Kubernetes mode, reading a kubeconfig file written for the fake server.
 */
export async function startKubernetesStack(env: Record<string, string> = {}): Promise<KubernetesStack> {
  const cleanups: Array<() => unknown> = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const server = new FakeKubeApiServer({ namespace: NS });
    await server.start();
    cleanups.push(() => server.stop());
    const dir = mkdtempSync(join(tmpdir(), 'focal-kubeconfig-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const kubeconfigPath = join(dir, 'config');
    writeFileSync(kubeconfigPath, server.kubeConfigYaml());
    const operator = new OperatorSimulator(server, NS);
    await operator.start();
    cleanups.push(() => operator.stop());
    const worker = await startInferenceWorker();
    cleanups.push(() => worker.stop());
    const api = await startFocalApi({
      FOCAL_RUNTIME: 'kubernetes',
      KUBECONFIG: kubeconfigPath,
      FOCAL_K8S_NAMESPACE: NS,
      FOCAL_K8S_SERVICE_URL: worker.url,
      FOCAL_K8S_POLL_MS: '100',
      FOCAL_LOAD_TIMEOUT_MS: String(LOAD_TIMEOUT_MS),
      FOCAL_MODEL_DINOV3: MODEL_ID,
      FOCAL_DEVICE: 'cpu',
      ...env,
    });
    cleanups.push(() => api.stop());
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions(server.kubeConfig());
    const custom = kubeConfig.makeApiClient(CustomObjectsApi);
    const reset = async () => {
      operator.reset();
      for (const md of server.list(MDS, NS)) server.delete(MDS, NS, md.metadata.name ?? '');
      await eventually(async () => {
        const { body } = await getJson(`${api.url}/models/status`);
        return Object.values(body).every((s: any) => s.state === 'unloaded' && s.model_id === null) || undefined;
      }, 'every model unloaded after deleting the ModelDeployments');
      server.clearRequests();
    };
    return { server, operator, worker, api, custom, reset, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A ModelDeployment as a user would `kubectl apply` it, created directly in the fake server. */
export function applyModelDeployment(
  server: FakeKubeApiServer,
  name: string,
  spec: Partial<ModelDeploymentSpec> & { modelType: ModelType },
  status?: ModelDeploymentStatus,
): ModelDeployment {
  const body: ModelDeployment = {
    apiVersion: MODEL_DEPLOYMENT_API_VERSION,
    kind: MODEL_DEPLOYMENT_KIND,
    metadata: { name, namespace: NS },
    spec: { modelId: MODEL_ID, device: 'cpu', ...spec },
  };
  const created = server.create(MDS, body as unknown as KubeObject) as unknown as ModelDeployment;
  if (!status) return created;
  return server.setStatus(MDS, NS, name, status) as unknown as ModelDeployment;
}

export function readyStatus(replicas: number, generation = 1): ModelDeploymentStatus {
  return { phase: 'Ready', replicas, readyReplicas: replicas, observedGeneration: generation };
}

export function getModelDeployment(server: FakeKubeApiServer, name: string): ModelDeployment | undefined {
  return server.get(MDS, NS, name) as unknown as ModelDeployment | undefined;
}

/** The API's writes to one ModelDeployment (not its /scale or /status). */
export function patchesOf(server: FakeKubeApiServer, name: string): RequestRecord[] {
  return server.requests().filter((r) => r.method === 'PATCH' && r.path === `${MD_COLLECTION}/${name}`);
}

export function createsOf(server: FakeKubeApiServer): RequestRecord[] {
  return server.requests().filter((r) => r.method === 'POST' && r.path === MD_COLLECTION);
}

export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
