import { jest } from '@jest/globals';
import type { FocalApi } from '@focal/testing';
import { startFocalApi } from '../support/focal-api.process.js';
import { getJson, makePixels, pngBase64, postJson } from '../support/test-images.js';
import {
  API_SELECTOR,
  CHART,
  LOCAL_VALUES,
  OPERATOR_SELECTOR,
  apiUrl,
  apply,
  deleteNamespace,
  demoModelDeployment,
  freshNamespace,
  helm,
  installFocal,
  kubectl,
  kubectlJson,
  modelDeployment,
  modelDeploymentInPhase,
  modelSelector,
  pods,
  readyPods,
  until,
} from './support/local-cluster.js';

jest.setTimeout(300_000);

const FAMILIES = [
  ['dinov3', 'dinov3', {}],
  ['depth_anything', 'depth-anything', {}],
  ['sam3', 'sam3', { prompts: ['cat', 'dog'], threshold: 0.1, output_format: 'rle' }],
  ['grounding_dino', 'grounding-dino', { prompts: ['cat', 'dog'], box_threshold: 0.1, text_threshold: 0.1 }],
] as const;

/** What must be equal between runtimes: everything but the timing. */
function comparable(body: Record<string, unknown>) {
  const { processing_time: _time, ...rest } = body;
  return rest;
}

/**
 * Focal as a user installs it: `helm install` on the real API server, the operator and the API as pods
 * under the chart's ServiceAccounts, ModelDeployments applied with kubectl, and requests through the API pod.
 */
describe('Focal on the local control plane', () => {
  let ns: string;
  let api: string;
  let image: string;

  beforeAll(async () => {
    ns = await freshNamespace('stack');
    await installFocal(ns, ['--set-json', `api.extraEnv=[{"name":"FOCAL_QUEUE_PREFIX","value":"${ns}"}]`]);
    api = await apiUrl(ns);
    image = await pngBase64(makePixels(96, 64, (x, y) => [(x * 7) % 256, (y * 11) % 256, (x * y) % 256]));
  });
  afterAll(() => deleteNamespace(ns));

  it('helm install brings every pod to Ready under the chart ServiceAccounts, on 127.x pod IPs', async () => {
    const [apiPod] = await readyPods(ns, API_SELECTOR, 1);
    const [operatorPod] = await readyPods(ns, OPERATOR_SELECTOR, 1);
    expect(apiPod?.serviceAccount).toBe('focal-api');
    expect(operatorPod?.serviceAccount).toBe('focal-operator');
    for (const pod of [apiPod, operatorPod]) expect(pod?.ip).toMatch(/^127\.0\.\d+\.\d+$/);
    const health = await getJson(`${api}/health`);
    expect(health.body).toMatchObject({ status: 'healthy', runtime: 'kubernetes' });
  });

  it('places a cpu ModelDeployment on the CPU node and a cuda one on the GPU node, with status and columns', async () => {
    await apply(
      ns,
      demoModelDeployment('depth-cpu', 'depth_anything', 'cpu') +
        '---\n' +
        demoModelDeployment('depth-gpu', 'depth_anything', 'cuda'),
    );
    const [cpu] = await readyPods(ns, modelSelector('depth-cpu'), 1);
    const [gpu] = await readyPods(ns, modelSelector('depth-gpu'), 1);
    expect(cpu?.node).toBe('focal-cpu-0');
    expect(gpu?.node).toBe('focal-gpu-0');

    const gpuPod = await kubectlJson(['get', 'pod', gpu?.name ?? '', '-n', ns]);
    expect(gpuPod.spec.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(gpuPod.spec.tolerations).toEqual(
      expect.arrayContaining([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]),
    );
    expect(gpuPod.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
    expect(gpuPod.spec.runtimeClassName).toBe('nvidia');

    const md = await modelDeploymentInPhase(ns, 'depth-gpu', 'Ready');
    expect(md.status).toMatchObject({
      replicas: 1,
      readyReplicas: 1,
      endpoint: `http://focal-model-depth-gpu.${ns}.svc:8080`,
      selector: 'app.kubernetes.io/instance=depth-gpu,app.kubernetes.io/name=focal-model',
    });
    const ready = md.status.conditions.find((c: { type: string }) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'True', reason: 'ReplicasReady' });
    const deployment = await kubectlJson(['get', 'deployment', 'focal-model-depth-gpu', '-n', ns]);
    expect(deployment.metadata.ownerReferences[0]).toMatchObject({ kind: 'ModelDeployment', name: 'depth-gpu' });

    const table = await kubectl(['get', 'md', 'depth-gpu', '-n', ns]);
    const [header, row] = table.trim().split('\n');
    expect(header?.split(/\s+/)).toEqual(['NAME', 'TYPE', 'DEVICE', 'REPLICAS', 'READY', 'PHASE', 'AGE']);
    expect(row?.split(/\s+/).slice(0, 6)).toEqual(['depth-gpu', 'depth_anything', 'cuda', '1', '1', 'Ready']);
    const wide = await kubectl(['get', 'md', 'depth-gpu', '-n', ns, '-o', 'wide']);
    expect(wide).toContain(`http://focal-model-depth-gpu.${ns}.svc:8080`);
  });

  it('kubectl scale md goes through the scale subresource, to 0 and back to 1', async () => {
    await kubectl(['scale', 'md', 'depth-cpu', '-n', ns, '--replicas=0']);
    await until('depth-cpu to be Unloaded with no pods', async () => {
      const md = await modelDeployment(ns, 'depth-cpu');
      const left = await pods(ns, modelSelector('depth-cpu'));
      return md.status?.phase === 'Unloaded' && left.length === 0 ? true : undefined;
    });
    const scalePath = `/apis/focal.dev/v1alpha1/namespaces/${ns}/modeldeployments/depth-cpu/scale`;
    const scale = JSON.parse(await kubectl(['get', '--raw', scalePath]));
    // autoscaling/v1 Scale omits a zero spec.replicas.
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', status: { replicas: 0 } });
    expect(scale.spec.replicas ?? 0).toBe(0);
    await kubectl(['scale', 'md', 'depth-cpu', '-n', ns, '--replicas=1']);
    await readyPods(ns, modelSelector('depth-cpu'), 1);
    const back = await until('depth-cpu Ready again', async () => {
      const s = JSON.parse(await kubectl(['get', '--raw', scalePath]));
      return s.status?.replicas === 1 ? s : undefined;
    });
    expect(back).toMatchObject({
      spec: { replicas: 1 },
      status: { replicas: 1, selector: 'app.kubernetes.io/instance=depth-cpu,app.kubernetes.io/name=focal-model' },
    });
  });

  it('POST /models/load and /models/unload through the API pod scale the ModelDeployment', async () => {
    const loaded = await postJson(`${api}/models/load`, { model_type: 'dinov3', model_id: 'demo', device: 'cpu' });
    expect(loaded.status).toBe(200);
    expect(loaded.body).toMatchObject({ model_type: 'dinov3', state: 'ready', demo: true });
    const md = await modelDeployment(ns, 'dinov3');
    expect(md.spec).toMatchObject({ modelType: 'dinov3', modelId: 'demo', replicas: 1 });
    await readyPods(ns, modelSelector('dinov3'), 1);

    const unloaded = await postJson(`${api}/models/unload`, { model_type: 'dinov3' });
    expect(unloaded.status).toBe(200);
    expect((await modelDeployment(ns, 'dinov3')).spec.replicas).toBe(0);
    await until('dinov3 pods gone', async () =>
      (await pods(ns, modelSelector('dinov3'))).length === 0 ? true : undefined,
    );
    const status = await getJson(`${api}/models/status`);
    expect(status.body.dinov3).toMatchObject({ state: 'unloaded', replicas: 0 });
  });

  it('auto-loads from zero: 8 concurrent requests are held and cause exactly one scale-up', async () => {
    const before = await modelDeployment(ns, 'dinov3');
    expect(before.spec.replicas).toBe(0);
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => postJson(`${api}/inference/dinov3`, { images: [image] })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    const first = JSON.stringify(responses[0]?.body.features);
    for (const response of responses) expect(JSON.stringify(response.body.features)).toBe(first);
    const after = await modelDeployment(ns, 'dinov3');
    // One merge patch of spec.replicas 0 → 1: the generation moved by exactly one.
    expect(after.spec.replicas).toBe(1);
    expect(after.metadata.generation).toBe(before.metadata.generation + 1);
    expect(await pods(ns, modelSelector('dinov3'))).toHaveLength(1);
  });

  describe('inference for every demo family equals the local runtime', () => {
    let local: FocalApi;
    beforeAll(async () => {
      local = await startFocalApi({ FOCAL_RUNTIME: 'local' }, 60_000);
    });
    afterAll(() => local?.stop());

    it.each(FAMILIES)('%s', async (type, route, params) => {
      const body = { images: [image], ...params };
      const [cluster, onLocal] = await Promise.all([
        postJson(`${api}/inference/${route}`, body),
        postJson(`${local.url}/inference/${route}`, body),
      ]);
      expect(cluster.status).toBe(200);
      expect(onLocal.status).toBe(200);
      expect(comparable(cluster.body)).toEqual(comparable(onLocal.body));
      const md = await kubectlJson<{ items: Array<{ spec: { modelType: string } }> }>(['get', 'md', '-n', ns]);
      expect(md.items.map((m) => m.spec.modelType)).toContain(type);
    });

    it('returns non-trivial results, so the equality above compares something', async () => {
      const sam3 = await postJson(`${api}/inference/sam3`, { images: [image], ...FAMILIES[2][2] });
      expect(sam3.body.results[0].length).toBeGreaterThan(0);
      const gd = await postJson(`${api}/inference/grounding-dino`, { images: [image], ...FAMILIES[3][2] });
      expect(gd.body.results[0].boxes.length).toBeGreaterThan(0);
    });
  });

  describe('endpoint-aware routing across two replicas', () => {
    /** /v1/infer requests a model pod has answered, from its own Prometheus counter. */
    const served = async (ip: string) => {
      const text = await (await fetch(`http://${ip}:8080/metrics`)).text();
      const line = text
        .split('\n')
        .find(
          (l) =>
            l.startsWith('focal_http_requests_total{') && l.includes('route="/v1/infer"') && l.includes('status="200"'),
        );
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const deltas = async (ips: string[], work: () => Promise<void>) => {
      const before = await Promise.all(ips.map(served));
      await work();
      const after = await Promise.all(ips.map(served));
      return after.map((n, i) => n - (before[i] ?? 0));
    };

    it('spreads DINOv3 requests over both pods, and keeps one SAM3 image on one pod', async () => {
      for (const md of ['dinov3', 'sam3']) await kubectl(['scale', 'md', md, '-n', ns, '--replicas=2']);
      const dino = (await readyPods(ns, modelSelector('dinov3'), 2)).map((p) => p.ip);
      const sam = (await readyPods(ns, modelSelector('sam3'), 2)).map((p) => p.ip);
      // The API sees both pods ready through its own watch before it spreads over them.
      await until('the API to route to both dinov3 pods', async () => {
        const d = await deltas(dino, async () => {
          for (let i = 0; i < 4; i++) await postJson(`${api}/inference/dinov3`, { images: [image] });
        });
        return d.every((n) => n > 0) ? d : undefined;
      });
      const spread = await deltas(dino, async () => {
        for (let i = 0; i < 4; i++) await postJson(`${api}/inference/dinov3`, { images: [image] });
      });
      expect(spread).toEqual([2, 2]);

      const sticky = await deltas(sam, async () => {
        for (let i = 0; i < 4; i++) {
          const response = await postJson(`${api}/inference/sam3`, { images: [image], prompts: ['cat'] });
          expect(response.status).toBe(200);
        }
      });
      expect([...sticky].sort()).toEqual([0, 4]);
      for (const md of ['dinov3', 'sam3']) await kubectl(['scale', 'md', md, '-n', ns, '--replicas=1']);
      await readyPods(ns, modelSelector('dinov3'), 1);
    });
  });

  it('helm upgrade rolls the API to the new values and keeps serving', async () => {
    const [old] = await readyPods(ns, API_SELECTOR, 1);
    await helm([
      'upgrade',
      'focal',
      CHART,
      '-n',
      ns,
      '-f',
      LOCAL_VALUES,
      '--reuse-values',
      '--set',
      'logLevel=debug',
      '--wait',
      '--timeout',
      '180s',
    ]);
    const [fresh] = await readyPods(ns, API_SELECTOR, 1);
    expect(fresh?.name).not.toBe(old?.name);
    const deployment = await kubectlJson(['get', 'deployment', 'focal-api', '-n', ns]);
    const env = deployment.spec.template.spec.containers[0].env as Array<{ name: string; value?: string }>;
    expect(env.find((e) => e.name === 'FOCAL_LOG_LEVEL')?.value).toBe('debug');
    api = await apiUrl(ns);
    const response = await postJson(`${api}/inference/dinov3`, { images: [image] });
    expect(response.status).toBe(200);
  });

  it('helm uninstall removes the release objects and leaves the ModelDeployments to their owner', async () => {
    await helm(['uninstall', 'focal', '-n', ns, '--wait', '--timeout', '120s']);
    await until('API and operator pods gone', async () => {
      const left = [...(await pods(ns, API_SELECTOR)), ...(await pods(ns, OPERATOR_SELECTOR))];
      return left.length === 0 ? true : undefined;
    });
    const deployments = await kubectlJson<{ items: Array<{ metadata: { name: string } }> }>([
      'get',
      'deployments',
      '-n',
      ns,
    ]);
    expect(deployments.items.map((d) => d.metadata.name)).not.toContain('focal-api');
    expect(deployments.items.map((d) => d.metadata.name)).not.toContain('focal-operator');
    const roles = await kubectlJson<{ items: unknown[] }>([
      'get',
      'roles,rolebindings,serviceaccounts',
      '-n',
      ns,
      '-l',
      'app.kubernetes.io/instance=focal',
    ]);
    expect(roles.items).toHaveLength(0);
  });
});
