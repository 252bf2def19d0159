import { FAKE_KUBE_RESOURCES, type KubeObject } from '@focal/testing';
import { getJson, postJson } from '../support/test-images.js';
import {
  DINOV3_ONLY_IMAGE,
  GATED_MODEL_ID,
  HUB_TOKEN,
  type KubernetesStack,
  MODEL_ID,
  NS,
  OTHER_MODEL_ID,
  applyModelDeployment,
  containerEnv,
  createsOf,
  eventually,
  getModelDeployment,
  isPodReady,
  patchesOf,
  podsOf,
  startKubernetesStack,
} from './support/kubernetes-stack.js';

const conditionsOf = (stack: KubernetesStack, name: string) =>
  Object.fromEntries(
    (getModelDeployment(stack.server, name)?.status?.conditions ?? []).map((c) => [c.type, `${c.status}/${c.reason}`]),
  );

describe('Kubernetes runtime: /models/* through ModelDeployments (real API, real operator, fake API server)', () => {
  let stack: KubernetesStack;
  const url = (path: string) => `${stack.api.url}${path}`;

  beforeAll(async () => {
    stack = await startKubernetesStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  beforeEach(async () => {
    await stack.reset();
  });

  it('POST /models/load creates the ModelDeployment and answers 200 once the operator reports it Ready', async () => {
    const response = await postJson(url('/models/load'), { model_type: 'dinov3', model_id: MODEL_ID, device: 'cpu' });
    // Read at once: had the API answered before the operator saw a ready pod, this would still be Loading.
    const md = getModelDeployment(stack.server, 'dinov3');
    const pods = podsOf(stack.server, 'dinov3');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'loaded',
      model_type: 'dinov3',
      state: 'ready',
      model_id: MODEL_ID,
      device: 'cpu',
      replicas: 1,
      ready_replicas: 1,
      demo: false,
    });
    expect(md?.metadata.labels).toMatchObject({ 'focal.dev/model-type': 'dinov3' });
    expect(md?.spec).toMatchObject({ modelType: 'dinov3', modelId: MODEL_ID, device: 'cpu', replicas: 1 });
    expect(md?.status).toMatchObject({ phase: 'Ready', readyReplicas: 1, observedGeneration: 1 });
    expect(md?.status?.message).toBe('1/1 replicas ready');
    expect(conditionsOf(stack, 'dinov3')).toEqual({
      Ready: 'True/ReplicasReady',
      Progressing: 'False/Complete',
      Degraded: 'False/AsExpected',
    });
    // The operator's pod ran its model-fetch init container against the hub, then the worker.
    expect(pods).toHaveLength(1);
    expect(isPodReady(pods[0])).toBe(true);
    expect((pods[0].status?.initContainerStatuses as any[])[0]).toMatchObject({
      name: 'fetch-model',
      state: { terminated: { exitCode: 0, reason: 'Completed' } },
    });
    expect(stack.hub.fileDownloads(MODEL_ID, 'onnx/model.onnx')).toHaveLength(1);
    expect(createsOf(stack.server)).toHaveLength(1);
    expect(patchesOf(stack.server, 'dinov3')).toHaveLength(0);
  });

  it('accepts the demo model id, which the CRD allows, and reports the model as a demo', async () => {
    const response = await postJson(url('/models/load'), { model_type: 'dinov3', model_id: 'demo' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ state: 'ready', model_id: 'demo', demo: true });
    expect(getModelDeployment(stack.server, 'dinov3')?.spec.modelId).toBe('demo');
    // Nothing to fetch: the operator gives a demo pod no init container.
    expect(podsOf(stack.server, 'dinov3').map((pod) => pod.spec.initContainers ?? [])).toEqual([[]]);
  });

  it('answers 400 with the API server message when the ModelDeployment it would create is invalid', async () => {
    const response = await postJson(url('/models/load'), { model_type: 'dinov3', model_id: 'not a repo id' });
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/^could not create ModelDeployment focal-models\/dinov3: .*spec\.modelId/);
    expect(getModelDeployment(stack.server, 'dinov3')).toBeUndefined();
  });

  it('names the ModelDeployment after the hyphenated model type, and refuses a pod that serves another family', async () => {
    // A user's grounding_dino ModelDeployment whose image serves DINOv3 whatever the pod's env says:
    // its pod becomes ready, and the API must not report the model ready.
    applyModelDeployment(stack.server, 'grounding-dino', {
      modelType: 'grounding_dino',
      modelId: 'demo',
      image: DINOV3_ONLY_IMAGE,
      replicas: 0,
    });
    const response = await postJson(url('/models/load'), { model_type: 'grounding-dino', model_id: 'demo' });
    expect(getModelDeployment(stack.server, 'grounding-dino')?.spec).toMatchObject({
      modelType: 'grounding_dino',
      device: 'cpu',
      replicas: 1,
    });
    expect(response.status).toBe(503);
    expect(response.body.detail).toMatch(/serves dinov3, not grounding_dino/);
    expect(podsOf(stack.server, 'grounding-dino').filter(isPodReady)).toHaveLength(1);
    const { body } = await getJson(url('/models/status'));
    expect(body.grounding_dino).toMatchObject({ state: 'failed', error: expect.stringMatching(/serves dinov3/) });
  });

  it('reloading with another model id merge-patches it and answers once the new spec has rolled out', async () => {
    expect((await postJson(url('/models/load'), { model_type: 'dinov3', model_id: MODEL_ID })).status).toBe(200);
    const [first] = podsOf(stack.server, 'dinov3');
    const response = await postJson(url('/models/load'), { model_type: 'dinov3', model_id: OTHER_MODEL_ID });
    const pods = podsOf(stack.server, 'dinov3');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ state: 'ready', model_id: OTHER_MODEL_ID });
    const patches = patchesOf(stack.server, 'dinov3');
    expect(patches).toHaveLength(1);
    expect(patches[0].contentType).toBe('application/merge-patch+json');
    const md = getModelDeployment(stack.server, 'dinov3');
    expect(md?.spec).toMatchObject({ modelId: OTHER_MODEL_ID, replicas: 1 });
    expect(md?.metadata.generation).toBe(2);
    expect(md?.status).toMatchObject({ phase: 'Ready', observedGeneration: 2 });
    // Generation 1's pod was still Ready when the patch landed: answering on it would serve the old
    // model. At the answer, only a pod of the new template is left, and it is the one that is ready.
    expect(pods.map((pod) => pod.metadata.name)).not.toContain(first.metadata.name);
    expect(pods).toHaveLength(1);
    expect(isPodReady(pods[0])).toBe(true);
    expect(containerEnv(pods[0], 'inference', 'FOCAL_MODEL_ID')).toBe(OTHER_MODEL_ID);
    expect(stack.hub.fileDownloads(OTHER_MODEL_ID, 'onnx/model.onnx')).toHaveLength(1);
  });

  it('fails the load at once with the operator reason when the model fetch init container fails', async () => {
    const response = await postJson(url('/models/load'), { model_type: 'dinov3', model_id: GATED_MODEL_ID });
    expect(response.status).toBe(503);
    const detail: string = response.body.detail;
    expect(detail).toMatch(
      /^Model dinov3 failed to load \(ModelDeployment focal-models\/dinov3\): ModelFetchFailed: Pod focal-model-dinov3-\w+-\w+: init container fetch-model exited with code 1 \(Error\)/,
    );
    // The worker's own reason, from the log tail the kubelet put in terminated.message.
    expect(detail).toContain(GATED_MODEL_ID);
    expect(detail).not.toContain('did not become ready within');
    const md = getModelDeployment(stack.server, 'dinov3');
    expect(md?.status?.phase).toBe('Failed');
    expect(conditionsOf(stack, 'dinov3')).toEqual({
      Ready: 'False/ModelFetchFailed',
      Progressing: 'False/ModelFetchFailed',
      Degraded: 'True/ModelFetchFailed',
    });
    const [pod] = podsOf(stack.server, 'dinov3');
    const fetch = (pod.status?.initContainerStatuses as any[])[0];
    const terminated = fetch.state.terminated ?? fetch.lastState.terminated;
    expect(terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(md?.status?.message).toContain(`exited with code 1 (Error)`);
    const { body } = await getJson(url('/models/status'));
    expect(body.dinov3).toMatchObject({ state: 'failed', model_id: GATED_MODEL_ID, ready_replicas: 0 });
    expect(body.dinov3.error).toMatch(/^ModelFetchFailed: Pod focal-model-dinov3-.*init container fetch-model exited/);
    expect(body.dinov3.error).toContain(GATED_MODEL_ID);
  });

  it('reports a missing token Secret as ContainerConfigInvalid, and loads the gated model once the Secret exists', async () => {
    applyModelDeployment(stack.server, 'dinov3', {
      modelType: 'dinov3',
      modelId: GATED_MODEL_ID,
      replicas: 1,
      hfTokenSecret: { name: 'hf-gated', key: 'token' },
    });
    const failed = await eventually(
      async () => {
        const { body } = await getJson(url('/models/status'));
        return body.dinov3.state === 'failed' ? body.dinov3 : undefined;
      },
      'the missing Secret in /models/status',
      30_000,
    );
    expect(failed.error).toMatch(
      /^ContainerConfigInvalid: Pod focal-model-dinov3-\S+: container fetch-model is waiting \(CreateContainerConfigError\): .*hf-gated/,
    );

    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'hf-gated', namespace: NS },
      data: { token: Buffer.from(HUB_TOKEN).toString('base64') },
    };
    stack.server.create(FAKE_KUBE_RESOURCES.secrets, secret as unknown as KubeObject);
    // The kubelet retries the container; with the token the fetch succeeds and the operator reports Ready.
    const ready = await eventually(
      async () => {
        const { body } = await getJson(url('/models/status'));
        return body.dinov3.state === 'ready' ? body.dinov3 : undefined;
      },
      'the gated model ready once its Secret exists',
      60_000,
    );
    expect(ready).toMatchObject({ model_id: GATED_MODEL_ID, ready_replicas: 1, error: null });
    expect(conditionsOf(stack, 'dinov3').Ready).toBe('True/ReplicasReady');
    expect(stack.hub.fileDownloads(GATED_MODEL_ID, 'onnx/model.onnx')).toHaveLength(1);
  });

  it('POST /models/unload merge-patches spec.replicas to 0, and reports nothing when already at 0', async () => {
    expect((await postJson(url('/models/load'), { model_type: 'dinov3', model_id: MODEL_ID })).status).toBe(200);
    const response = await postJson(url('/models/unload'), { model_type: 'dinov3' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'unloaded', unloaded: ['dinov3'] });
    expect(getModelDeployment(stack.server, 'dinov3')?.spec.replicas).toBe(0);
    expect(patchesOf(stack.server, 'dinov3').map((p) => p.contentType)).toEqual(['application/merge-patch+json']);
    // Read right after the write: no waiting for the watch event.
    const { body } = await getJson(url('/models/status'));
    expect(body.dinov3).toMatchObject({ state: 'unloaded', replicas: 0, model_id: MODEL_ID });
    const again = await postJson(url('/models/unload'), { model_type: 'dinov3' });
    expect(again.body).toEqual({ status: 'unloaded', unloaded: [] });
    expect(patchesOf(stack.server, 'dinov3')).toHaveLength(1);
    // The operator scales the Deployment to 0; its pod goes, and the status says so in its words.
    await eventually(
      async () =>
        podsOf(stack.server, 'dinov3').length === 0 &&
        getModelDeployment(stack.server, 'dinov3')?.status?.phase === 'Unloaded'
          ? true
          : undefined,
      'the pod gone and the ModelDeployment Unloaded',
      20_000,
    );
    expect(getModelDeployment(stack.server, 'dinov3')?.status?.message).toBe(
      'Scaled to 0 replicas; the model is not loaded',
    );
  });

  it('GET /models/status reports ModelDeployments users applied under any name', async () => {
    applyModelDeployment(stack.server, 'my-depth', { modelType: 'depth_anything', modelId: 'demo', replicas: 1 });
    applyModelDeployment(stack.server, 'dino-small', { modelType: 'dinov3', modelId: MODEL_ID, replicas: 1 });
    applyModelDeployment(stack.server, 'dino-large', { modelType: 'dinov3', modelId: OTHER_MODEL_ID, replicas: 2 });
    const body = await eventually(
      async () => {
        const { body } = await getJson(url('/models/status'));
        const ready = body.depth_anything.state === 'ready' && body.dinov3.ready_replicas === 2;
        return ready && podsOf(stack.server, 'dino-small').some(isPodReady) ? body : undefined;
      },
      'the applied ModelDeployments ready in /models/status',
      60_000,
    );
    expect(body.depth_anything).toMatchObject({ model_id: 'demo', device: 'cpu', replicas: 1, ready_replicas: 1 });
    // Of two for one type, the one with more ready pods answers, and the status says there are two.
    expect(body.dinov3).toMatchObject({ state: 'ready', model_id: OTHER_MODEL_ID, replicas: 2, ready_replicas: 2 });
    expect(body.dinov3.warnings.join(' ')).toMatch(/dino-large.*dino-small/);
    const health = await getJson(url('/health'));
    expect(health.body).toMatchObject({ runtime: 'kubernetes' });
    expect([...health.body.loaded_models].sort()).toEqual(['depth_anything', 'dinov3']);

    // One named after the type is the API's own and wins, even at 0 replicas.
    applyModelDeployment(stack.server, 'dinov3', { modelType: 'dinov3', replicas: 0 });
    const after = await eventually(async () => {
      const { body } = await getJson(url('/models/status'));
      return body.dinov3.state === 'unloaded' ? body : undefined;
    }, 'the ModelDeployment named dinov3 to take over');
    expect(after.dinov3).toMatchObject({ model_id: MODEL_ID, replicas: 0 });
  });
});

describe('Kubernetes runtime: a load that times out (real API, real operator, fake API server)', () => {
  const TIMEOUT_MS = 4000;
  let stack: KubernetesStack;

  beforeAll(async () => {
    stack = await startKubernetesStack({ FOCAL_LOAD_TIMEOUT_MS: String(TIMEOUT_MS) });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers 503 with the scheduler reason the operator reports when no node can take the pod', async () => {
    // device cuda: the operator asks for nvidia.com/gpu, which the one CPU node does not have.
    const response = await postJson(`${stack.api.url}/models/load`, {
      model_type: 'dinov3',
      model_id: MODEL_ID,
      device: 'cuda',
    });
    expect(response.status).toBe(503);
    const detail: string = response.body.detail;
    expect(detail).toContain(`did not become ready within ${TIMEOUT_MS} ms: ModelDeployment focal-models/dinov3: `);
    expect(detail).toContain('phase Pending, 0/1 replicas ready');
    expect(detail).toMatch(
      /; Unschedulable: Pod focal-model-dinov3-\w+-\w+ cannot be scheduled: 0\/1 nodes are available: 1 Insufficient nvidia\.com\/gpu\. preemption: /,
    );
    expect(conditionsOf(stack, 'dinov3')).toEqual({
      Ready: 'False/Unschedulable',
      Progressing: 'True/Unschedulable',
      Degraded: 'False/AsExpected',
    });
    const { body } = await getJson(`${stack.api.url}/models/status`);
    expect(body.dinov3).toMatchObject({ state: 'loading', replicas: 1, ready_replicas: 0, model_id: MODEL_ID });
  });
});
