import { Logger } from '@nestjs/common';
import { buildApiConfig } from '@focal/config';
import {
  ConflictError,
  InvalidInputError,
  MODEL_DEPLOYMENT_API_VERSION,
  MODEL_DEPLOYMENT_KIND,
  type ModelDeployment,
  type ModelDeploymentSpec,
  type ModelType,
  ModelUnavailableError,
  UpstreamError,
  type WorkerInfo,
} from '@focal/contracts';
import type { InferenceClient } from '../inference.client.js';
import { InMemoryModelDeploymentClient } from './in-memory.model-deployment.client.spec-support.js';
import { KubernetesRuntime } from './kubernetes.runtime.js';
import { ModelDeploymentApiError } from './model-deployment-api.error.js';

const SERVICE_URL = 'http://focal-model-{name}.{namespace}.svc:{port}';
const ID = 'onnx-community/dinov3-vits16-pretrain-lvd1689m-ONNX';
const OTHER_ID = 'facebook/dinov3-vitb16';

/** /readyz answers as `ready` says, /v1/info names `family`, and it remembers which endpoints were probed. */
class FakeInferenceClient implements InferenceClient {
  ready = true;
  /** What /v1/info reports; by default the type the ModelDeployment's name says (focal-model-<type>). */
  family: ModelType | undefined;
  readonly probed: string[] = [];
  async isReady(endpoint: string): Promise<boolean> {
    this.probed.push(endpoint);
    return this.ready;
  }
  async infer(): Promise<Record<string, unknown>> {
    throw new Error('not used');
  }
  async info(endpoint: string): Promise<WorkerInfo> {
    const named = /focal-model-([a-z0-9-]+)\./.exec(endpoint)?.[1]?.replaceAll('-', '_') as ModelType;
    return { model_type: this.family ?? named } as WorkerInfo;
  }
}

/** The rejection of a call that must fail. */
async function failure(call: Promise<unknown>): Promise<Error> {
  try {
    await call;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 5));

function md(name: string, spec: Partial<ModelDeploymentSpec> = {}): ModelDeployment {
  return {
    apiVersion: MODEL_DEPLOYMENT_API_VERSION,
    kind: MODEL_DEPLOYMENT_KIND,
    metadata: { name },
    spec: { modelType: 'dinov3', modelId: ID, device: 'cpu', replicas: 1, ...spec },
  };
}

// The runtime logs each create, patch and ready; the assertions below say what matters.
beforeAll(() => Logger.overrideLogger(false));
afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

describe('KubernetesRuntime', () => {
  let client: InMemoryModelDeploymentClient;
  let inference: FakeInferenceClient;
  let runtime: KubernetesRuntime;

  /** Plays the operator: reports the current generation Ready with every replica. */
  const markReady = (name: string) => {
    const current = client.peek(name)!;
    const replicas = current.spec.replicas ?? 1;
    client.setStatus(name, {
      phase: 'Ready',
      replicas,
      readyReplicas: replicas,
      observedGeneration: current.metadata.generation,
    });
  };

  beforeEach(async () => {
    client = new InMemoryModelDeploymentClient();
    inference = new FakeInferenceClient();
    const config = buildApiConfig({
      FOCAL_RUNTIME: 'kubernetes',
      FOCAL_K8S_POLL_MS: '50',
      FOCAL_K8S_SERVICE_URL: SERVICE_URL,
    });
    runtime = new KubernetesRuntime(config, client, inference);
  });

  afterEach(async () => {
    await runtime.shutdown();
  });

  describe('with the watch running', () => {
    beforeEach(async () => {
      runtime.onModuleInit();
      await flush();
      expect(client.watchCount).toBe(1);
    });

    it('refuses a ready pod that serves another family, naming both', async () => {
      inference.family = 'dinov3';
      const loading = runtime.load('sam3', { modelId: ID, device: 'cpu' }, 2000);
      await flush();
      markReady('sam3');
      const error = await failure(loading);
      expect(error).toBeInstanceOf(ModelUnavailableError);
      expect(error.message).toMatch(/ModelDeployment models\/sam3 serves dinov3, not sam3/);
    });

    it('creates the ModelDeployment named after the type, then resolves once Ready and /readyz answers', async () => {
      const loading = runtime.load('grounding_dino', { modelId: ID, device: 'cpu' }, 2000);
      await flush();
      const created = client.peek('grounding-dino');
      expect(created?.spec).toEqual({ modelType: 'grounding_dino', modelId: ID, device: 'cpu', replicas: 1 });
      expect(created?.metadata.labels).toMatchObject({ 'focal.dev/model-type': 'grounding_dino' });
      expect(inference.probed).toEqual([]);
      markReady('grounding-dino');
      const status = await loading;
      const endpoint = 'http://focal-model-grounding-dino.models.svc:8080';
      expect(status).toMatchObject({ state: 'ready', modelId: ID, device: 'cpu', readyReplicas: 1, endpoint });
      expect(inference.probed).toEqual([endpoint]);
    });

    it('times out with the operator status and the failing /readyz in the reason', async () => {
      client.apply(md('dinov3', { replicas: 0 }));
      inference.ready = false;
      const loading = runtime.load('dinov3', { modelId: ID, device: 'cpu' }, 300);
      await flush();
      markReady('dinov3');
      const error = await failure(loading);
      expect(error).toBeInstanceOf(ModelUnavailableError);
      expect(error.message).toMatch(
        /^Model dinov3 did not become ready within 300 ms: ModelDeployment models\/dinov3: /,
      );
      expect(error.message).toContain('phase Ready, 1/1 replicas ready');
      expect(error.message).toContain('does not answer /readyz');
    });

    it('ignores a Failed status from an older generation, and fails on one about the spec it asked for', async () => {
      client.apply(md('dinov3'));
      client.setStatus('dinov3', { phase: 'Failed', message: 'old weights were corrupt', observedGeneration: 1 });
      const loading = runtime.load('dinov3', { modelId: OTHER_ID, device: 'cpu' }, 2000);
      await flush();
      expect(client.peek('dinov3')?.metadata.generation).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 120));
      client.setStatus('dinov3', { phase: 'Failed', message: 'no such repo', observedGeneration: 2 });
      await expect(loading).rejects.toThrow(
        'Model dinov3 failed to load (ModelDeployment models/dinov3): no such repo',
      );
    });

    it('gives up when someone scales the ModelDeployment to 0 or deletes it while it loads', async () => {
      const scaled = runtime.load('dinov3', { modelId: ID, device: 'cpu' }, 2000);
      await flush();
      client.apply({ ...client.peek('dinov3')!, spec: { ...client.peek('dinov3')!.spec, replicas: 0 } });
      await expect(scaled).rejects.toThrow('ModelDeployment models/dinov3 was scaled to 0 while loading dinov3');
      const deleted = runtime.load('dinov3', { modelId: ID, device: 'cpu' }, 2000);
      await flush();
      client.remove('dinov3');
      await expect(deleted).rejects.toThrow('ModelDeployment models/dinov3 was deleted while loading dinov3');
    });

    it('scales every ModelDeployment of the type to 0 on unload, and reports false when none was up', async () => {
      client.apply(md('dino-a'));
      client.apply(md('dino-b', { replicas: 2 }));
      client.apply(md('dino-c', { replicas: 0 }));
      client.apply(md('sam', { modelType: 'sam3' }));
      await flush();
      expect(await runtime.unload('dinov3')).toBe(true);
      expect(client.calls.filter((c) => c.startsWith('patch')).sort()).toEqual([
        'patch dino-a {"replicas":0}',
        'patch dino-b {"replicas":0}',
      ]);
      expect(client.peek('sam')?.spec.replicas).toBe(1);
      // The patch responses are in the cache at once, before their watch events are handled.
      expect((await runtime.status('dinov3')).state).toBe('unloaded');
      expect(await runtime.unload('dinov3')).toBe(false);
    });

    it('serves status from the watched copy, without an API call per read', async () => {
      client.apply(md('dinov3'));
      markReady('dinov3');
      await flush();
      const calls = client.calls.length;
      for (let i = 0; i < 5; i++) expect((await runtime.status('dinov3')).state).toBe('ready');
      expect(client.calls.length).toBe(calls);
    });

    it('reads through to the API while the watch is down, and watches again after the poll interval', async () => {
      client.endWatches(new ModelDeploymentApiError(500, 'etcd leader changed'));
      client.apply(md('dinov3', { replicas: 0 }));
      expect((await runtime.status('dinov3')).modelId).toBe(ID);
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect(client.watchCount).toBe(1);
      const calls = client.calls.length;
      await runtime.status('dinov3');
      expect(client.calls.length).toBe(calls);
    });
  });

  describe('reading through (watch not started)', () => {
    it('merge-patches only what differs, and writes nothing when the spec already matches', async () => {
      client.apply(md('dinov3', { replicas: 0, device: 'cuda' }));
      const loading = runtime.load('dinov3', { modelId: ID, device: 'cpu' }, 2000);
      await flush();
      expect(client.calls.filter((c) => c.startsWith('patch'))).toEqual(['patch dinov3 {"replicas":1,"device":"cpu"}']);
      markReady('dinov3');
      await loading;
      await runtime.load('dinov3', { modelId: ID, device: 'cpu' }, 2000);
      expect(client.calls.filter((c) => c.startsWith('patch') || c === 'create')).toHaveLength(1);
    });

    it('uses a ModelDeployment created between its read and its create, if it serves the type', async () => {
      client.apply(md('dinov3', { replicas: 0 }));
      client.hideFromNextList('dinov3');
      const loading = runtime.load('dinov3', { modelId: ID, device: 'cpu' }, 2000);
      await flush();
      expect(client.calls.filter((c) => c === 'create' || c.startsWith('patch'))).toEqual([
        'create',
        'patch dinov3 {"replicas":1}',
      ]);
      markReady('dinov3');
      expect((await loading).state).toBe('ready');
    });

    it('refuses with 409 when the name it would create belongs to another model type', async () => {
      client.apply(md('dinov3', { modelType: 'sam3' }));
      const error = await failure(runtime.load('dinov3', { modelId: ID, device: 'cpu' }, 2000));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toContain('ModelDeployment models/dinov3 exists but serves sam3');
    });

    it('turns a ModelDeployment the API server rejects into a 400 with the server message', async () => {
      const rejection = 'spec.modelId: Invalid value: "my model": spec.modelId in body should match \'^(...)$\'';
      client.failNext('create', new ModelDeploymentApiError(422, rejection, 'Invalid'));
      const error = await failure(runtime.load('dinov3', { modelId: 'my model', device: 'cpu' }, 2000));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toBe(`could not create ModelDeployment models/dinov3: ${rejection}`);
    });

    it('reports an unreachable API server as a 502 naming the namespace', async () => {
      client.failNext('list', new ModelDeploymentApiError(0, 'connect ECONNREFUSED 10.0.0.1:443'));
      const error = await failure(runtime.status('sam3'));
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error.message).toBe(
        'could not read ModelDeployments in namespace models: Kubernetes API unreachable: connect ECONNREFUSED 10.0.0.1:443',
      );
    });
  });
});
