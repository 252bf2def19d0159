import { jest } from '@jest/globals';
import type { FocalApi } from '@focal/testing';
import { FakeHub } from '@focal/testing';
import { buildDinov3DemoGraph, dinov3DemoReference } from '@focal/demo-models';
import { DINOV3_ONLY_REPOSITORY } from '../../libs/testing/src/process-runtime/image.programs.js';
import { imagenetChw, maxAbsDiff } from '../support/expectations.js';
import { startFocalApi } from '../support/focal-api.process.js';
import { type RgbPixels, getJson, makePixels, pngBase64, postJson, seededRandom } from '../support/test-images.js';
import { AuditLog, readsBy, serviceAccount, writesBy } from './support/audit-log.js';
import {
  apiUrl,
  apply,
  clusterEnv,
  conditionReasons,
  deleteNamespace,
  freshNamespace,
  installFocal,
  kubectl,
  kubectlJson,
  modelDeployment,
  modelDeploymentManifest,
  modelSelector,
  until,
} from './support/local-cluster.js';

jest.setTimeout(300_000);

const MODEL_ID = 'acme/dinov3-small-ONNX';
const OTHER_MODEL_ID = 'acme/dinov3-base-ONNX';
const GATED_MODEL_ID = 'acme/gated-dinov3-ONNX';
const HUB_TOKEN = 'hf_cluster_token_0123456789';

type Pod = {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { initContainers?: any[]; containers: any[] };
  status?: { conditions?: Array<{ type: string; status: string; message?: string }>; initContainerStatuses?: any[] };
};

const isReady = (pod: Pod) => (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** A container's env value as the operator wrote it into the pod template. */
function envOf(pod: Pod, container: string, name: string): string | undefined {
  const spec = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((c) => c.name === container);
  return spec?.env?.find((e: { name: string }) => e.name === name)?.value;
}

/**
 * The API's /models/* and auto-load as a user meets them on a cluster, all on the real control plane: the chart's
 * API and operator pods, ModelDeployments validated by the real kube-apiserver, Deployments rolled out by the real
 * controller-manager (ReplicaSets and all), pods placed by the real scheduler and run by the real kubelets. The model
 * pods fetch their models from a fake hub on 127.0.0.1 (the chart's hfEndpoint), since the real hub is out of
 * reach. What the API and the operator asked of the server is read from the server's own audit log.
 */
describe('/models/* and auto-load on the local control plane (helm-installed API and operator, a fake hub)', () => {
  let ns: string;
  let api: string;
  let hub: FakeHub;
  const audit = new AuditLog();
  const apiUser = () => serviceAccount(ns, 'focal-api');
  const url = (route: string) => `${api}${route}`;
  const podsOf = async (name: string) =>
    (await kubectlJson<{ items: Pod[] }>(['get', 'pods', '-n', ns, '-l', modelSelector(name)])).items;
  const livePods = async (name: string) => (await podsOf(name)).filter((pod) => !pod.metadata.deletionTimestamp);
  const status = async () => (await getJson(url('/models/status'))).body;

  beforeAll(async () => {
    hub = await FakeHub.start({ tokens: [HUB_TOKEN] });
    const files = {
      'config.json': JSON.stringify({ model_type: 'dinov3_vit' }),
      'onnx/model.onnx': Buffer.from(buildDinov3DemoGraph()),
    };
    hub.addRepo(MODEL_ID, { files });
    hub.addRepo(OTHER_MODEL_ID, { files });
    hub.addRepo(GATED_MODEL_ID, { private: true, files });
    ns = await freshNamespace('models');
    await installFocal(ns, [
      '--set',
      `hfEndpoint=${hub.url}`,
      '--set',
      `api.defaultModels.dinov3=${MODEL_ID}`,
      '--set-json',
      `api.extraEnv=[{"name":"FOCAL_QUEUE_PREFIX","value":"${ns}"}]`,
    ]);
    api = await apiUrl(ns);
  });

  afterAll(async () => {
    if (ns) await deleteNamespace(ns);
    await hub?.stop();
  });

  beforeEach(async () => {
    // Each test starts from no ModelDeployment, no Secret of its own and no model pod.
    await kubectl(['delete', 'modeldeployments', '--all', '-n', ns, '--wait=true']);
    await kubectl(['delete', 'secret', 'hf-gated', '-n', ns, '--ignore-not-found']);
    await until(
      'every model unloaded and no model pod left',
      async () => {
        const models = Object.values(await status()) as Array<{ state: string; model_id: string | null }>;
        const left = await kubectlJson<{ items: unknown[] }>([
          'get',
          'pods',
          '-n',
          ns,
          '-l',
          'app.kubernetes.io/name=focal-model',
        ]);
        return models.every((m) => m.state === 'unloaded' && m.model_id === null) && left.items.length === 0
          ? true
          : undefined;
      },
      120_000,
    );
  });

  it('POST /models/load creates the ModelDeployment once and answers when the operator reports it Ready', async () => {
    const mark = audit.mark();
    const response = await postJson(url('/models/load'), { model_type: 'dinov3', model_id: MODEL_ID, device: 'cpu' });
    // Read at once: had the API answered before the operator saw a ready pod, these would not be Ready yet.
    const md = await modelDeployment(ns, 'dinov3');
    const pods = await livePods('dinov3');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'loaded',
      state: 'ready',
      model_id: MODEL_ID,
      device: 'cpu',
      replicas: 1,
      ready_replicas: 1,
      demo: false,
    });
    expect(md.metadata.labels).toMatchObject({ 'focal.dev/model-type': 'dinov3' });
    expect(md.spec).toMatchObject({ modelType: 'dinov3', modelId: MODEL_ID, device: 'cpu', replicas: 1 });
    expect(md.status).toMatchObject({ phase: 'Ready', readyReplicas: 1, observedGeneration: 1 });
    expect(conditionReasons(md)).toEqual({
      Ready: 'True/ReplicasReady',
      Progressing: 'False/Complete',
      Degraded: 'False/AsExpected',
    });
    expect(pods).toHaveLength(1);
    expect(isReady(pods[0])).toBe(true);
    // The init container fetched the model from the chart's hfEndpoint, once, before the worker started.
    expect(envOf(pods[0], 'fetch-model', 'HF_ENDPOINT')).toBe(hub.url);
    expect(envOf(pods[0], 'inference', 'HF_ENDPOINT')).toBeUndefined();
    expect(pods[0].status?.initContainerStatuses?.[0]).toMatchObject({
      name: 'fetch-model',
      state: { terminated: { exitCode: 0, reason: 'Completed' } },
    });
    expect(hub.fileDownloads(MODEL_ID, 'onnx/model.onnx')).toHaveLength(1);
    expect(writesBy(await audit.since(mark, ns), apiUser())).toEqual(['create modeldeployments/dinov3']);
  });

  it('answers 400 with the API server message when the ModelDeployment it would create is invalid', async () => {
    const response = await postJson(url('/models/load'), { model_type: 'dinov3', model_id: 'not a repo id' });
    expect(response.status).toBe(400);
    // The real server's CRD validation, word for word in the detail.
    expect(response.body.detail).toMatch(
      new RegExp(`^could not create ModelDeployment ${ns}/dinov3: .*spec\\.modelId: Invalid value: "not a repo id"`),
    );
    const left = await kubectlJson<{ items: unknown[] }>(['get', 'modeldeployments', '-n', ns]);
    expect(left.items).toEqual([]);
  });

  it('reloading with another model id patches it once and answers when the new pods have rolled out', async () => {
    expect((await postJson(url('/models/load'), { model_type: 'dinov3', model_id: MODEL_ID })).status).toBe(200);
    const [first] = await livePods('dinov3');
    const mark = audit.mark();
    const response = await postJson(url('/models/load'), { model_type: 'dinov3', model_id: OTHER_MODEL_ID });
    const pods = await livePods('dinov3');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ state: 'ready', model_id: OTHER_MODEL_ID });
    const md = await modelDeployment(ns, 'dinov3');
    expect(md.spec).toMatchObject({ modelId: OTHER_MODEL_ID, replicas: 1 });
    expect(md.metadata.generation).toBe(2);
    expect(md.status).toMatchObject({ phase: 'Ready', observedGeneration: 2 });
    // The real Deployment controller rolled a new ReplicaSet out; generation 1's pod was still Ready when the patch
    // landed, and answering on it would have served the old model. At the answer only the new pod is live.
    expect(pods.map((pod) => pod.metadata.name)).not.toContain(first.metadata.name);
    expect(pods).toHaveLength(1);
    expect(isReady(pods[0])).toBe(true);
    expect(envOf(pods[0], 'inference', 'FOCAL_MODEL_ID')).toBe(OTHER_MODEL_ID);
    expect(hub.fileDownloads(OTHER_MODEL_ID, 'onnx/model.onnx')).toHaveLength(1);
    expect(writesBy(await audit.since(mark, ns), apiUser())).toEqual(['patch modeldeployments/dinov3']);
  });

  it('fails the load at once with ModelFetchFailed when the hub refuses the model, with the fetch reason', async () => {
    const response = await postJson(url('/models/load'), { model_type: 'dinov3', model_id: GATED_MODEL_ID });
    expect(response.status).toBe(503);
    const detail: string = response.body.detail;
    expect(detail).toMatch(
      new RegExp(
        `^Model dinov3 failed to load \\(ModelDeployment ${ns}/dinov3\\): ModelFetchFailed: Pod focal-model-dinov3-\\w+-\\w+: init container fetch-model exited with code 1 \\(Error\\)`,
      ),
    );
    expect(detail).toContain(GATED_MODEL_ID);
    expect(detail).not.toContain('did not become ready within');
    const md = await modelDeployment(ns, 'dinov3');
    expect(md.status.phase).toBe('Failed');
    expect(conditionReasons(md)).toEqual({
      Ready: 'False/ModelFetchFailed',
      Progressing: 'False/ModelFetchFailed',
      Degraded: 'True/ModelFetchFailed',
    });
    // The hub refused the private repo without a token: nothing of it was downloaded.
    expect(hub.fileDownloads(GATED_MODEL_ID, 'onnx/model.onnx')).toHaveLength(0);
    const body = await status();
    expect(body.dinov3).toMatchObject({ state: 'failed', model_id: GATED_MODEL_ID, ready_replicas: 0 });
    expect(body.dinov3.error).toMatch(/^ModelFetchFailed: Pod focal-model-dinov3-.*init container fetch-model exited/);
  });

  it('reports a missing token Secret as ContainerConfigInvalid, and loads the gated model once it exists', async () => {
    await apply(
      ns,
      modelDeploymentManifest('dinov3', {
        modelType: 'dinov3',
        modelId: GATED_MODEL_ID,
        device: 'cpu',
        replicas: 1,
        hfTokenSecret: { name: 'hf-gated', key: 'token' },
      }),
    );
    const failed = await until('the missing Secret in /models/status', async () => {
      const body = await status();
      return body.dinov3.state === 'failed' ? body.dinov3 : undefined;
    });
    expect(failed.error).toMatch(
      /^ContainerConfigInvalid: Pod focal-model-dinov3-\S+: container fetch-model is waiting \(CreateContainerConfigError\): .*hf-gated/,
    );
    await kubectl(['create', 'secret', 'generic', 'hf-gated', '-n', ns, `--from-literal=token=${HUB_TOKEN}`]);
    // The kubelet retries the container; with the token the fetch succeeds and the operator reports Ready.
    const ready = await until(
      'the gated model ready once its Secret exists',
      async () => {
        const body = await status();
        return body.dinov3.state === 'ready' ? body.dinov3 : undefined;
      },
      120_000,
    );
    expect(ready).toMatchObject({ model_id: GATED_MODEL_ID, ready_replicas: 1, error: null });
    expect(conditionReasons(await modelDeployment(ns, 'dinov3')).Ready).toBe('True/ReplicasReady');
    expect(hub.fileDownloads(GATED_MODEL_ID, 'onnx/model.onnx')).toHaveLength(1);
  });

  it('POST /models/unload patches spec.replicas to 0 once, and writes nothing when already at 0', async () => {
    expect((await postJson(url('/models/load'), { model_type: 'dinov3', model_id: MODEL_ID })).status).toBe(200);
    const mark = audit.mark();
    const response = await postJson(url('/models/unload'), { model_type: 'dinov3' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'unloaded', unloaded: ['dinov3'] });
    expect((await modelDeployment(ns, 'dinov3')).spec.replicas).toBe(0);
    // Read right after the write: no waiting for the watch event.
    expect((await status()).dinov3).toMatchObject({ state: 'unloaded', replicas: 0, model_id: MODEL_ID });
    const again = await postJson(url('/models/unload'), { model_type: 'dinov3' });
    expect(again.body).toEqual({ status: 'unloaded', unloaded: [] });
    expect(writesBy(await audit.since(mark, ns), apiUser())).toEqual(['patch modeldeployments/dinov3']);
    // The operator scales the Deployment to 0; its pod goes, and the status says so in its words.
    const md = await until(
      'the pod gone and the ModelDeployment Unloaded',
      async () => {
        const current = await modelDeployment(ns, 'dinov3');
        return (await podsOf('dinov3')).length === 0 && current.status?.phase === 'Unloaded' ? current : undefined;
      },
      60_000,
    );
    expect(md.status.message).toBe('Scaled to 0 replicas; the model is not loaded');
  });

  it('GET /models/status reports ModelDeployments users applied under any name', async () => {
    await apply(
      ns,
      [
        modelDeploymentManifest('my-depth', {
          modelType: 'depth_anything',
          modelId: 'demo',
          device: 'cpu',
          replicas: 1,
        }),
        modelDeploymentManifest('dino-small', { modelType: 'dinov3', modelId: MODEL_ID, device: 'cpu', replicas: 1 }),
        modelDeploymentManifest('dino-large', {
          modelType: 'dinov3',
          modelId: OTHER_MODEL_ID,
          device: 'cpu',
          replicas: 2,
        }),
      ].join('---\n'),
    );
    const body = await until(
      'the applied ModelDeployments ready in /models/status',
      async () => {
        const current = await status();
        const small = (await livePods('dino-small')).some(isReady);
        return current.depth_anything.state === 'ready' && current.dinov3.ready_replicas === 2 && small
          ? current
          : undefined;
      },
      120_000,
    );
    expect(body.depth_anything).toMatchObject({ model_id: 'demo', device: 'cpu', replicas: 1, ready_replicas: 1 });
    // Of two for one type, the one with more ready pods answers, and the status says there are two.
    expect(body.dinov3).toMatchObject({ state: 'ready', model_id: OTHER_MODEL_ID, replicas: 2, ready_replicas: 2 });
    expect(body.dinov3.warnings.join(' ')).toMatch(/dino-large.*dino-small/);
    const health = (await getJson(url('/health'))).body;
    expect(health).toMatchObject({ runtime: 'kubernetes' });
    expect([...health.loaded_models].sort()).toEqual(['depth_anything', 'dinov3']);

    // One named after the type is the API's own and wins, even at 0 replicas.
    await apply(ns, modelDeploymentManifest('dinov3', { modelType: 'dinov3', modelId: MODEL_ID, replicas: 0 }));
    const after = await until('the ModelDeployment named dinov3 to take over', async () => {
      const current = await status();
      return current.dinov3.state === 'unloaded' ? current : undefined;
    });
    expect(after.dinov3).toMatchObject({ model_id: MODEL_ID, replicas: 0 });
  });

  it('refuses a pod that serves another family than its ModelDeployment names', async () => {
    // A user's grounding_dino ModelDeployment whose image serves DINOv3 whatever the pod's env says: its pod
    // becomes ready, and the API must not report the model ready.
    await apply(
      ns,
      modelDeploymentManifest('grounding-dino', {
        modelType: 'grounding_dino',
        modelId: 'demo',
        device: 'cpu',
        image: `registry.example/${DINOV3_ONLY_REPOSITORY}:1`,
        replicas: 0,
      }),
    );
    const response = await postJson(url('/models/load'), { model_type: 'grounding-dino', model_id: 'demo' });
    expect((await modelDeployment(ns, 'grounding-dino')).spec).toMatchObject({
      modelType: 'grounding_dino',
      replicas: 1,
    });
    expect(response.status).toBe(503);
    expect(response.body.detail).toMatch(/serves dinov3, not grounding_dino/);
    expect((await livePods('grounding-dino')).filter(isReady)).toHaveLength(1);
    expect((await status()).grounding_dino).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/serves dinov3/),
    });
  });

  describe('auto-load', () => {
    let pixels: RgbPixels;
    let image: string;
    beforeAll(async () => {
      const random = seededRandom(7);
      pixels = makePixels(224, 224, () => [0, 0, 0].map(() => Math.floor(random() * 256)) as [number, number, number]);
      image = await pngBase64(pixels);
    });

    it('creates a ModelDeployment with the configured model id for a request, and answers from its pod', async () => {
      const mark = audit.mark();
      const response = await postJson(url('/inference/dinov3'), { images: [image] });
      expect(response.status).toBe(200);
      const md = await modelDeployment(ns, 'dinov3');
      expect(md.spec).toMatchObject({ modelType: 'dinov3', modelId: MODEL_ID, device: 'cpu', replicas: 1 });
      expect(writesBy(await audit.since(mark, ns), apiUser())).toEqual(['create modeldeployments/dinov3']);
      // The features of the graph the pod fetched from the hub, to float error.
      const expected = dinov3DemoReference(imagenetChw(pixels), 224, 224);
      const { features } = response.body;
      expect(features.last_hidden_state[0]).toHaveLength(1 + 4 + 14 * 14);
      expect(maxAbsDiff(features.last_hidden_state[0].flat(), expected.lastHiddenState.flat())).toBeLessThan(1e-4);
      expect(maxAbsDiff(features.pooler_output[0], expected.poolerOutput)).toBeLessThan(1e-4);
      expect(response.body.model_id).toBe(MODEL_ID);
    });

    it("sees a user's kubectl scale to 0 through its watch: unloaded, with no get or list of its own", async () => {
      expect((await postJson(url('/models/load'), { model_type: 'dinov3', model_id: MODEL_ID })).status).toBe(200);
      expect((await getJson(url('/health'))).body.loaded_models).toEqual(['dinov3']);
      const mark = audit.mark();
      await kubectl(['scale', 'modeldeployment', 'dinov3', '-n', ns, '--replicas=0']);
      const unloaded = await until('dinov3 unloaded in /models/status', async () => {
        const body = await status();
        return body.dinov3.state === 'unloaded' ? body.dinov3 : undefined;
      });
      expect(unloaded).toMatchObject({ replicas: 0, model_id: MODEL_ID });
      const events = await audit.since(mark, ns);
      // The scale went through the real /scale subresource, and the API only learned of it from its open watch.
      expect(events.some((e) => e.verb === 'patch' && e.objectRef?.subresource === 'scale')).toBe(true);
      expect(readsBy(events, apiUser())).toEqual([]);
      expect(writesBy(events, apiUser())).toEqual([]);
      expect((await getJson(url('/health'))).body.loaded_models).toEqual([]);
    });
  });
});

describe('a load no node can take, on the local control plane', () => {
  const TIMEOUT_MS = 6000;
  let ns: string;
  let api: FocalApi;

  beforeAll(async () => {
    ns = await freshNamespace('unschedulable');
    await installFocal(ns, ['--set-json', `api.extraEnv=[{"name":"FOCAL_QUEUE_PREFIX","value":"${ns}"}]`]);
    // A second API, outside the cluster with the admin kubeconfig (as a developer runs one), with a short load
    // timeout: the chart's API waits the full loadTimeoutMs.
    api = await startFocalApi({
      FOCAL_RUNTIME: 'kubernetes',
      KUBECONFIG: clusterEnv().kubeconfig,
      FOCAL_K8S_NAMESPACE: ns,
      FOCAL_K8S_ROUTING: 'pods',
      FOCAL_LOAD_TIMEOUT_MS: String(TIMEOUT_MS),
      FOCAL_DEVICE: 'cpu',
    });
  });

  afterAll(async () => {
    await api?.stop();
    if (ns) await deleteNamespace(ns);
  });

  it("answers 503 with the real scheduler's reason the operator reports", async () => {
    // A user's ModelDeployment asking for more memory than any node has, at 0 replicas; the load scales it to 1.
    await apply(
      ns,
      modelDeploymentManifest('dinov3', {
        modelType: 'dinov3',
        modelId: 'demo',
        device: 'cpu',
        replicas: 0,
        resources: { requests: { memory: '64Ti' } },
      }),
    );
    const response = await postJson(`${api.url}/models/load`, { model_type: 'dinov3', model_id: 'demo' });
    expect(response.status).toBe(503);
    const detail: string = response.body.detail;
    expect(detail).toContain(`did not become ready within ${TIMEOUT_MS} ms: ModelDeployment ${ns}/dinov3: `);
    expect(detail).toContain('phase Pending, 0/1 replicas ready');
    // kube-scheduler's own words, as it wrote them into the pod's PodScheduled condition.
    const [pod] = (await kubectlJson<{ items: Pod[] }>(['get', 'pods', '-n', ns, '-l', modelSelector('dinov3')])).items;
    const scheduled = pod?.status?.conditions?.find((c) => c.type === 'PodScheduled');
    expect(scheduled).toMatchObject({ status: 'False' });
    expect(scheduled?.message).toMatch(/^0\/\d+ nodes are available: .*Insufficient memory/);
    expect(detail).toContain(`; Unschedulable: Pod ${pod?.metadata.name} cannot be scheduled: ${scheduled?.message}`);
    const md = await modelDeployment(ns, 'dinov3');
    expect(conditionReasons(md)).toEqual({
      Ready: 'False/Unschedulable',
      Progressing: 'True/Unschedulable',
      Degraded: 'False/AsExpected',
    });
    const { body } = await getJson(`${api.url}/models/status`);
    expect(body.dinov3).toMatchObject({ state: 'loading', replicas: 1, ready_replicas: 0, model_id: 'demo' });
  });
});
