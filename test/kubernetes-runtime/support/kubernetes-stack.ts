import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MODEL_DEPLOYMENT_API_VERSION,
  MODEL_DEPLOYMENT_KIND,
  type ModelDeployment,
  type ModelDeploymentSpec,
  type ModelType,
} from '@focal/contracts';
import { buildDinov3DemoGraph } from '@focal/demo-models';
import { FAKE_KUBE_RESOURCES, FakeHub, FakeKubeApiServer, type KubeObject, type RequestRecord } from '@focal/testing';
import type { Pod } from '../../../libs/testing/src/node-agent/pod.types.js';
import { type RunningOperator, startOperator } from '../../operator/support/operator.harness.js';
import { type FocalApi, startFocalApi } from '../../support/focal-api.process.js';
import { getJson } from '../../support/test-images.js';
import {
  DeploymentControllerKubeletStandIn,
  DINOV3_ONLY_REPOSITORY,
} from './deployment-controller-kubelet.stand-in.js';

export const NS = 'focal-models';
export const MDS = FAKE_KUBE_RESOURCES.modelDeployments;
export const MD_COLLECTION = `/apis/focal.dev/v1alpha1/namespaces/${NS}/modeldeployments`;
/** The name the API's kubeconfig token carries, so the fake server's request log tells its calls apart. */
export const API_CLIENT = 'focal-api';
/**
 * Real-looking repo ids, served by the fake hub with the DINOv3 demo graph laid out as the public
 * export is: the model pods' init container fetches them, the worker serves them as real models.
 */
export const MODEL_ID = 'onnx-community/dinov3-vits16-pretrain-lvd1689m-ONNX';
export const OTHER_MODEL_ID = 'onnx-community/dinov3-vitb16-pretrain-lvd1689m-ONNX';
/** A private repo: fetched without a token, the hub refuses it. */
export const GATED_MODEL_ID = 'acme/gated-dinov3-ONNX';
export const HUB_TOKEN = 'hf_stack_token_0123456789';
/** An image built to serve one model: its entrypoint pins the family, whatever the pod's env says. */
export const DINOV3_ONLY_IMAGE = `registry.example/${DINOV3_ONLY_REPOSITORY}:1`;
export const LOAD_TIMEOUT_MS = 60_000;

export interface KubernetesStack {
  server: FakeKubeApiServer;
  hub: FakeHub;
  cluster: DeploymentControllerKubeletStandIn;
  operator: RunningOperator;
  api: FocalApi;
  /** A client-node client for acting as a user with kubectl would. */
  custom: CustomObjectsApi;
  /** Deletes every ModelDeployment, waits until the API reports every model unloaded and no pod runs. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The fake API server, the real operator (in process, as test/operator runs it) reconciling
 * ModelDeployments into Deployments, a Deployment controller + kubelet stand-in turning those into
 * pods that run the real inference worker (and its model-fetch init container against a fake hub),
 * and the real API as a child process in Kubernetes mode routing to the pods' IPs, reading a
 * kubeconfig file written for the fake server.
 */
export async function startKubernetesStack(env: Record<string, string> = {}): Promise<KubernetesStack> {
  const cleanups: Array<() => unknown> = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const hub = await FakeHub.start({ tokens: [HUB_TOKEN] });
    cleanups.push(() => hub.stop());
    const graph = Buffer.from(buildDinov3DemoGraph());
    const files = { 'config.json': JSON.stringify({ model_type: 'dinov3_vit' }), 'onnx/model.onnx': graph };
    hub.addRepo(MODEL_ID, { files });
    hub.addRepo(OTHER_MODEL_ID, { files });
    hub.addRepo(GATED_MODEL_ID, { private: true, files });

    const server = new FakeKubeApiServer({ namespace: NS });
    await server.start();
    cleanups.push(() => server.stop());
    const cluster = new DeploymentControllerKubeletStandIn(server, NS, hub.url);
    cluster.start();
    cleanups.push(() => cluster.stop());
    const operator = await startOperator(server, 'focal-operator-0', {
      FOCAL_OPERATOR_NAMESPACE: NS,
      // The chart's GPU settings without the node selector: a cuda pod then asks the scheduler for a GPU
      // the one CPU node does not have.
      FOCAL_GPU_NODE_SELECTOR: '{}',
    });
    cleanups.push(() => operator.stop());

    const dir = mkdtempSync(join(tmpdir(), 'focal-kubeconfig-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const kubeconfigPath = join(dir, 'config');
    writeFileSync(kubeconfigPath, server.kubeConfigYaml(API_CLIENT));
    const api = await startFocalApi({
      FOCAL_RUNTIME: 'kubernetes',
      KUBECONFIG: kubeconfigPath,
      FOCAL_K8S_NAMESPACE: NS,
      FOCAL_K8S_ROUTING: 'pods',
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
      for (const md of server.list(MDS, NS)) server.delete(MDS, NS, md.metadata.name ?? '');
      for (const secret of server.list(FAKE_KUBE_RESOURCES.secrets, NS))
        server.delete(FAKE_KUBE_RESOURCES.secrets, NS, secret.metadata.name ?? '');
      await eventually(async () => {
        const { body } = await getJson(`${api.url}/models/status`);
        return Object.values(body).every((s: any) => s.state === 'unloaded' && s.model_id === null) || undefined;
      }, 'every model unloaded after deleting the ModelDeployments');
      await cluster.idle();
      server.clearRequests();
    };
    return { server, hub, cluster, operator, api, custom, reset, stop };
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
): ModelDeployment {
  const body: ModelDeployment = {
    apiVersion: MODEL_DEPLOYMENT_API_VERSION,
    kind: MODEL_DEPLOYMENT_KIND,
    metadata: { name, namespace: NS },
    spec: { modelId: MODEL_ID, device: 'cpu', ...spec },
  };
  return server.create(MDS, body as unknown as KubeObject) as unknown as ModelDeployment;
}

export function getModelDeployment(server: FakeKubeApiServer, name: string): ModelDeployment | undefined {
  return server.get(MDS, NS, name) as unknown as ModelDeployment | undefined;
}

/** The pods of one ModelDeployment, by the instance label the operator's template carries. */
export function podsOf(server: FakeKubeApiServer, name: string): Pod[] {
  return (server.list(FAKE_KUBE_RESOURCES.pods, NS) as unknown as Pod[]).filter(
    (pod) => pod.metadata.labels?.['app.kubernetes.io/instance'] === name,
  );
}

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** A container's env value as the operator wrote it into the pod template. */
export function containerEnv(pod: Pod, container: string, variable: string): string | undefined {
  const spec = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((c) => c.name === container);
  return spec?.env?.find((e) => e.name === variable)?.value;
}

/** The API's writes to one ModelDeployment (not its /scale or /status). */
export function patchesOf(server: FakeKubeApiServer, name: string): RequestRecord[] {
  return server
    .requests()
    .filter((r) => r.client === API_CLIENT && r.method === 'PATCH' && r.path === `${MD_COLLECTION}/${name}`);
}

export function createsOf(server: FakeKubeApiServer): RequestRecord[] {
  return server.requests().filter((r) => r.client === API_CLIENT && r.method === 'POST' && r.path === MD_COLLECTION);
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
