import { getJson, postJson } from '../support/test-images.js';
import { UNSCHEDULABLE } from './support/operator.simulator.js';
import {
  type KubernetesStack,
  LOAD_TIMEOUT_MS,
  MODEL_ID,
  OTHER_MODEL_ID,
  applyModelDeployment,
  createsOf,
  eventually,
  getModelDeployment,
  patchesOf,
  readyStatus,
  startKubernetesStack,
} from './support/kubernetes-stack.js';

describe('Kubernetes runtime: /models/* through ModelDeployments (real API, fake API server)', () => {
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

  it('POST /models/load creates the ModelDeployment and answers 200 only once it is Ready', async () => {
    const started = Date.now();
    const response = await postJson(url('/models/load'), { model_type: 'dinov3', model_id: MODEL_ID, device: 'cpu' });
    const answered = Date.now();
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
    const md = getModelDeployment(stack.server, 'dinov3');
    expect(md?.metadata.labels).toMatchObject({ 'focal.dev/model-type': 'dinov3' });
    expect(md?.spec).toMatchObject({ modelType: 'dinov3', modelId: MODEL_ID, device: 'cpu', replicas: 1 });
    expect(createsOf(stack.server)).toHaveLength(1);
    expect(patchesOf(stack.server, 'dinov3')).toHaveLength(0);
    // The simulated operator reports Ready after a delay; the API must not have answered before that.
    expect(stack.operator.readied.map((r) => [r.name, r.generation])).toEqual([['dinov3', 1]]);
    expect(stack.operator.readied[0].at).toBeLessThanOrEqual(answered);
    expect(answered - started).toBeGreaterThanOrEqual(stack.operator.readyDelayMs);
  });

  it('accepts the demo model id, which the CRD allows, and reports the model as a demo', async () => {
    const response = await postJson(url('/models/load'), { model_type: 'dinov3', model_id: 'demo' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ state: 'ready', model_id: 'demo', demo: true });
    expect(getModelDeployment(stack.server, 'dinov3')?.spec.modelId).toBe('demo');
  });

  it('answers 400 with the API server message when the ModelDeployment it would create is invalid', async () => {
    const response = await postJson(url('/models/load'), { model_type: 'dinov3', model_id: 'not a repo id' });
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/^could not create ModelDeployment focal-models\/dinov3: .*spec\.modelId/);
    expect(getModelDeployment(stack.server, 'dinov3')).toBeUndefined();
  });

  it('names the ModelDeployment after the hyphenated model type, and refuses a pod that serves another family', async () => {
    // The stack's one worker serves dinov3: a grounding_dino ModelDeployment whose pod answers with
    // it must not be reported ready.
    const response = await postJson(url('/models/load'), { model_type: 'grounding-dino', model_id: MODEL_ID });
    expect(getModelDeployment(stack.server, 'grounding-dino')?.spec).toMatchObject({
      modelType: 'grounding_dino',
      device: 'cpu',
    });
    expect(response.status).toBe(503);
    expect(response.body.detail).toMatch(/serves dinov3, not grounding_dino/);
    const { body } = await getJson(url('/models/status'));
    expect(body.grounding_dino).toMatchObject({ state: 'failed', error: expect.stringMatching(/serves dinov3/) });
  });

  it('reloading with another model id merge-patches it and waits for the operator to act on the new spec', async () => {
    expect((await postJson(url('/models/load'), { model_type: 'dinov3', model_id: MODEL_ID })).status).toBe(200);
    const response = await postJson(url('/models/load'), { model_type: 'dinov3', model_id: OTHER_MODEL_ID });
    const answered = Date.now();
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ state: 'ready', model_id: OTHER_MODEL_ID });
    const patches = patchesOf(stack.server, 'dinov3');
    expect(patches).toHaveLength(1);
    expect(patches[0].contentType).toBe('application/merge-patch+json');
    const md = getModelDeployment(stack.server, 'dinov3');
    expect(md?.spec).toMatchObject({ modelId: OTHER_MODEL_ID, replicas: 1 });
    expect(md?.metadata.generation).toBe(2);
    // Generation 1 was still Ready when the patch landed: answering on that would serve the old model.
    const second = stack.operator.readied.find((r) => r.generation === 2);
    expect(second).toBeDefined();
    expect(second!.at).toBeLessThanOrEqual(answered);
  });

  it('answers 503 with the reason from the ModelDeployment status when it does not become ready in time', async () => {
    stack.operator.mode = 'stuck';
    const started = Date.now();
    const response = await postJson(url('/models/load'), { model_type: 'dinov3', model_id: MODEL_ID });
    expect(response.status).toBe(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(LOAD_TIMEOUT_MS);
    expect(response.body.detail).toContain(`did not become ready within ${LOAD_TIMEOUT_MS} ms`);
    expect(response.body.detail).toContain('phase Pending, 0/1 replicas ready');
    expect(response.body.detail).toContain(UNSCHEDULABLE);
    const { body } = await getJson(url('/models/status'));
    expect(body.dinov3).toMatchObject({ state: 'loading', replicas: 1, ready_replicas: 0, model_id: MODEL_ID });
  });

  it('fails the load at once with the operator message when the ModelDeployment goes Failed', async () => {
    stack.operator.mode = 'fail';
    const started = Date.now();
    const response = await postJson(url('/models/load'), { model_type: 'dinov3', model_id: MODEL_ID });
    expect(response.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(LOAD_TIMEOUT_MS);
    expect(response.body.detail).toContain(stack.operator.failMessage);
    const { body } = await getJson(url('/models/status'));
    expect(body.dinov3).toMatchObject({ state: 'failed', error: stack.operator.failMessage });
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
  });

  it('GET /models/status reports ModelDeployments users applied under any name', async () => {
    applyModelDeployment(stack.server, 'my-depth', { modelType: 'depth_anything', replicas: 2 }, readyStatus(2));
    applyModelDeployment(stack.server, 'dino-small', { modelType: 'dinov3', replicas: 1 }, readyStatus(1));
    applyModelDeployment(
      stack.server,
      'dino-large',
      { modelType: 'dinov3', modelId: OTHER_MODEL_ID, replicas: 3 },
      readyStatus(3),
    );
    const body = await eventually(async () => {
      const { body } = await getJson(url('/models/status'));
      return body.depth_anything.state === 'ready' && body.dinov3.state === 'ready' ? body : undefined;
    }, 'the applied ModelDeployments in /models/status');
    expect(body.depth_anything).toMatchObject({ model_id: MODEL_ID, device: 'cpu', replicas: 2, ready_replicas: 2 });
    // Of two for one type, the one with more ready pods answers, and the status says there are two.
    expect(body.dinov3).toMatchObject({ model_id: OTHER_MODEL_ID, replicas: 3, ready_replicas: 3 });
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
