import { jest } from '@jest/globals';
import { makePixels, pngBase64, postJson } from '../support/test-images.js';
import {
  API_SELECTOR,
  apply,
  deleteNamespace,
  freshNamespace,
  installFocal,
  kubectl,
  kubectlJson,
  modelDeployment,
  modelSelector,
  pods,
  readyPods,
  run,
  KUBECTL,
  until,
} from './support/local-cluster.js';

jest.setTimeout(300_000);

const MAX = 3;

function autoscaledModel(name: string, autoscaling: string): string {
  return [
    'apiVersion: focal.dev/v1alpha1',
    'kind: ModelDeployment',
    `metadata: {name: ${name}}`,
    'spec:',
    '  modelType: dinov3',
    '  modelId: demo',
    '  device: cpu',
    '  replicas: 0',
    `  autoscaling: ${autoscaling}`,
    '',
  ].join('\n');
}

async function eventReasons(ns: string, name: string): Promise<string[]> {
  const list = await kubectlJson<{ items: Array<{ reason: string; involvedObject: { name: string } }> }>([
    'get',
    'events',
    '-n',
    ns,
  ]);
  return list.items.filter((e) => e.involvedObject.name === name).map((e) => e.reason);
}

/**
 * The operator's autoscaler on the real control plane: two API pods hold a burst for a model at zero replicas,
 * the operator scrapes both at their pod IPs, sums, and scales the ModelDeployment through /scale up to
 * maxReplicas; once idle for scaleDownDelaySeconds it scales it back to zero.
 */
describe('autoscaling ModelDeployments on the local control plane', () => {
  let ns: string;
  let apis: string[];
  let image: string;

  beforeAll(async () => {
    ns = await freshNamespace('autoscale');
    await installFocal(ns, [
      '--set',
      'api.replicas=2',
      '--set',
      'operator.autoscaler.intervalMs=500',
      '--set',
      'operator.autoscaler.windowSeconds=2',
      '--set-json',
      `api.extraEnv=[{"name":"FOCAL_QUEUE_PREFIX","value":"${ns}"}]`,
    ]);
    apis = (await readyPods(ns, API_SELECTOR, 2)).map((pod) => `http://${pod.ip}:8000`);
    image = await pngBase64(makePixels(64, 64, (x, y) => [x * 3, y * 3, 128]));
  });
  afterAll(() => deleteNamespace(ns));

  it('refuses minReplicas above maxReplicas with the CEL rule', async () => {
    const result = await run(
      KUBECTL,
      ['apply', '-n', ns, '-f', '-'],
      autoscaledModel('bad', '{minReplicas: 3, maxReplicas: 2}'),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/minReplicas must be <= maxReplicas/);
  });

  it('scales a burst from 0 to maxReplicas, summing both API pods, and back to 0 once idle', async () => {
    await apply(ns, autoscaledModel('dinov3', `{maxReplicas: ${MAX}, targetInFlight: 2, scaleDownDelaySeconds: 5}`));
    const applied = await modelDeployment(ns, 'dinov3');
    expect(applied.spec.autoscaling).toEqual({
      minReplicas: 0,
      maxReplicas: MAX,
      targetInFlight: 2,
      scaleDownDelaySeconds: 5,
    });
    expect(applied.spec.replicas).toBe(0);

    // 8 requests held while the first pod loads: 8 in flight over the two API pods / 2 per replica → 4, capped at 3.
    const burst = Array.from({ length: 8 }, (_, i) => postJson(`${apis[i % 2]}/inference/dinov3`, { images: [image] }));
    const scaled = await until('the autoscaler to scale dinov3 to maxReplicas', async () => {
      const md = await modelDeployment(ns, 'dinov3');
      // The scale write comes first, the status write right after it.
      return md.spec.replicas === MAX && md.status?.autoscaling?.reason ? md : undefined;
    });
    expect(scaled.status.autoscaling).toMatchObject({ desiredReplicas: MAX, reason: 'ScaledUp' });
    expect(scaled.status.autoscaling.message).toMatch(/in flight \/ targetInFlight 2 → 3 replica\(s\)/);
    const responses = await Promise.all(burst);
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    await readyPods(ns, modelSelector('dinov3'), MAX);
    expect(await eventReasons(ns, 'dinov3')).toContain('ScaledUp');

    const idle = await until(
      'dinov3 to scale to zero after the delay',
      async () => {
        const md = await modelDeployment(ns, 'dinov3');
        return md.spec.replicas === 0 && md.status?.autoscaling?.reason === 'ScaledToZero' ? md : undefined;
      },
      60_000,
    );
    expect(idle.status.autoscaling).toMatchObject({ desiredReplicas: 0, reason: 'ScaledToZero' });
    expect(idle.status.autoscaling.message).toMatch(/scaleDownDelaySeconds 5/);
    await until('dinov3 pods to be gone', async () =>
      (await pods(ns, modelSelector('dinov3'))).length === 0 ? true : undefined,
    );
    expect(await eventReasons(ns, 'dinov3')).toContain('ScaledToZero');
    const scale = JSON.parse(
      await kubectl(['get', '--raw', `/apis/focal.dev/v1alpha1/namespaces/${ns}/modeldeployments/dinov3/scale`]),
    );
    expect(scale.spec.replicas ?? 0).toBe(0);
  });

  it('leaves kubectl scale alone once autoscaling is removed, and clears its status', async () => {
    await kubectl([
      'patch',
      'md',
      'dinov3',
      '-n',
      ns,
      '--type=json',
      '-p',
      '[{"op":"remove","path":"/spec/autoscaling"}]',
    ]);
    await until('status.autoscaling to be cleared', async () =>
      (await modelDeployment(ns, 'dinov3')).status?.autoscaling === undefined ? true : undefined,
    );
    await kubectl(['scale', 'md', 'dinov3', '-n', ns, '--replicas=1']);
    await readyPods(ns, modelSelector('dinov3'), 1);
    // Several autoscaler intervals with no traffic: an autoscaler still in charge would have scaled it to 0.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await modelDeployment(ns, 'dinov3')).spec.replicas).toBe(1);
  });
});
