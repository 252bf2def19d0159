import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { dinov3DemoReference } from '@focal/demo-models';
import { type RgbPixels, getJson, makePixels, pngBase64, postJson, seededRandom } from '../support/test-images.js';
import {
  API_CLIENT,
  type KubernetesStack,
  MODEL_ID,
  NS,
  applyModelDeployment,
  createsOf,
  eventually,
  getModelDeployment,
  isPodReady,
  patchesOf,
  podsOf,
  MD_COLLECTION,
  startKubernetesStack,
} from './support/kubernetes-stack.js';
import { imagenetChw, maxAbsDiff } from '../support/expectations.js';

describe('Kubernetes runtime: inference and auto-load (real API, real operator, worker pods, fake API server)', () => {
  let stack: KubernetesStack;
  let pixels: RgbPixels;
  let image: string;
  const url = (path: string) => `${stack.api.url}${path}`;

  beforeAll(async () => {
    stack = await startKubernetesStack();
    const random = seededRandom(7);
    pixels = makePixels(224, 224, () => [0, 0, 0].map(() => Math.floor(random() * 256)) as [number, number, number]);
    image = await pngBase64(pixels);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  beforeEach(async () => {
    await stack.reset();
  });

  it("routes /inference/dinov3 to the ready pod's IP and returns the features of the model it fetched", async () => {
    expect((await postJson(url('/models/load'), { model_type: 'dinov3', model_id: MODEL_ID })).status).toBe(200);
    expect(podsOf(stack.server, 'dinov3').filter(isPodReady)).toHaveLength(1);
    const response = await postJson(url('/inference/dinov3'), { images: [image] });
    expect(response.status).toBe(200);
    const expected = dinov3DemoReference(imagenetChw(pixels), 224, 224);
    const { features } = response.body;
    expect(features.last_hidden_state[0]).toHaveLength(1 + 4 + 14 * 14);
    expect(maxAbsDiff(features.last_hidden_state[0].flat(), expected.lastHiddenState.flat())).toBeLessThan(1e-4);
    expect(maxAbsDiff(features.pooler_output[0], expected.poolerOutput)).toBeLessThan(1e-4);
    expect(response.body.model_id).toBe(MODEL_ID);
  });

  it('scales a ModelDeployment up from zero once for 8 concurrent requests and answers all of them when Ready', async () => {
    // A user's ModelDeployment, scaled to zero: auto-load must keep its model id and device.
    applyModelDeployment(stack.server, 'dinov3', { modelType: 'dinov3', replicas: 0 });
    await eventually(async () => {
      const { body } = await getJson(url('/models/status'));
      return body.dinov3.model_id === MODEL_ID && body.dinov3.state === 'unloaded' ? true : undefined;
    }, 'the API to see the ModelDeployment at 0 replicas');
    stack.server.clearRequests();
    const podsBefore = stack.cluster.created.length;

    const responses = await Promise.all(
      Array.from({ length: 8 }, () => postJson(url('/inference/dinov3'), { images: [image] })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(patchesOf(stack.server, 'dinov3')).toHaveLength(1);
    expect(createsOf(stack.server)).toHaveLength(0);
    const md = getModelDeployment(stack.server, 'dinov3');
    expect(md?.spec).toMatchObject({ replicas: 1, modelId: MODEL_ID, device: 'cpu' });
    expect(md?.metadata.generation).toBe(2);
    // One scale-up made one pod, which answered all eight once ready: at 0 replicas there was none to answer.
    expect(stack.cluster.created.slice(podsBefore)).toEqual([expect.stringMatching(/^focal-model-dinov3-/)]);
    expect(md?.status).toMatchObject({ phase: 'Ready', observedGeneration: 2, readyReplicas: 1 });
    // Micro-batched together, so compared with the reference within float error rather than bit for bit.
    const expected = dinov3DemoReference(imagenetChw(pixels), 224, 224);
    for (const response of responses) {
      expect(maxAbsDiff(response.body.features.pooler_output[0], expected.poolerOutput)).toBeLessThan(1e-4);
    }
  });

  it('auto-loads a model type with no ModelDeployment by creating one with the configured model id', async () => {
    const response = await postJson(url('/inference/dinov3'), { images: [image] });
    expect(response.status).toBe(200);
    expect(createsOf(stack.server)).toHaveLength(1);
    expect(getModelDeployment(stack.server, 'dinov3')?.spec).toMatchObject({
      modelType: 'dinov3',
      modelId: MODEL_ID,
      device: 'cpu',
      replicas: 1,
    });
  });

  it("shows a user's kubectl scale to 0 (through the scale subresource) as unloaded", async () => {
    expect((await postJson(url('/models/load'), { model_type: 'dinov3', model_id: MODEL_ID })).status).toBe(200);
    expect((await getJson(url('/health'))).body.loaded_models).toEqual(['dinov3']);
    const requestsBefore = stack.server.requests().length;
    await stack.custom.patchNamespacedCustomObjectScale(
      {
        group: 'focal.dev',
        version: 'v1alpha1',
        plural: 'modeldeployments',
        namespace: NS,
        name: 'dinov3',
        body: { spec: { replicas: 0 } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const status = await eventually(async () => {
      const { body } = await getJson(url('/models/status'));
      return body.dinov3.state === 'unloaded' ? body.dinov3 : undefined;
    }, 'dinov3 unloaded in /models/status');
    // Watched, not polled: between the scale and /models/status showing it, the API read no
    // ModelDeployment (no list, no get); only its open watch can have told it. (The operator, which
    // reconciles the scale meanwhile, reads with its own token.)
    const reads = stack.server
      .requests()
      .slice(requestsBefore)
      .filter(
        (r) =>
          r.client === API_CLIENT &&
          r.method === 'GET' &&
          r.path.startsWith(MD_COLLECTION) &&
          !/(^|&)watch=(1|true)/.test(r.query),
      );
    expect(stack.server.requests().some((r) => r.client === API_CLIENT)).toBe(true);
    expect(reads).toEqual([]);
    expect(status).toMatchObject({ replicas: 0, model_id: MODEL_ID });
    expect((await getJson(url('/health'))).body.loaded_models).toEqual([]);
    expect(patchesOf(stack.server, 'dinov3')).toHaveLength(0);
  });
});
