import { jest } from '@jest/globals';
import { getJson, makePixels, pngBase64, postJson } from '../support/test-images.js';
import {
  API_SELECTOR,
  apiUrl,
  apply,
  conditionReasons,
  deleteNamespace,
  demoModelDeployment,
  freshNamespace,
  installFocal,
  kubectlJson,
  modelDeploymentInPhase,
  modelDeploymentManifest,
  modelSelector,
  pods,
  readyPods,
  signalContainer,
  until,
} from './support/local-cluster.js';

jest.setTimeout(300_000);

/** Crashes on the real control plane: the kubelet's restarts, the operator's status, a failed fetch, a killed API pod (leader election: operator-leadership.cluster.test.ts). */
describe('faults on the local control plane', () => {
  let ns: string;
  let image: string;

  beforeAll(async () => {
    ns = await freshNamespace('faults');
    await installFocal(ns, [
      '--set-json',
      // A job that ran in the killed API is retaken once its lock expires: keep that short here.
      `api.extraEnv=[{"name":"FOCAL_QUEUE_PREFIX","value":"${ns}"},{"name":"FOCAL_JOB_LOCK_MS","value":"5000"}]`,
    ]);
    image = await pngBase64(makePixels(40, 30, (x, y) => [x * 6, y * 8, 128]));
  });
  afterAll(() => deleteNamespace(ns));

  it('a model pod killed with SIGKILL restarts; the ModelDeployment goes Degraded, then Ready', async () => {
    await apply(ns, demoModelDeployment('dino', 'dinov3'));
    const [pod] = await readyPods(ns, modelSelector('dino'), 1);
    await modelDeploymentInPhase(ns, 'dino', 'Ready');
    if (!pod) throw new Error('no pod');
    signalContainer(pod, 'inference', 'SIGKILL');

    const degraded = await modelDeploymentInPhase(ns, 'dino', 'Degraded', 30_000);
    expect(degraded.status.conditions.find((c: { type: string }) => c.type === 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'ReplicasUnavailable',
    });
    await modelDeploymentInPhase(ns, 'dino', 'Ready', 60_000);
    const [after] = await readyPods(ns, modelSelector('dino'), 1);
    // The same pod, restarted in place by the kubelet (restartPolicy Always), not a replacement.
    expect(after?.name).toBe(pod.name);
    expect(after?.restarts).toBe(1);
    const podObject = await kubectlJson(['get', 'pod', pod.name, '-n', ns]);
    expect(podObject.status.containerStatuses[0].lastState.terminated).toMatchObject({
      exitCode: 137,
      reason: 'Error',
    });
  });

  it('jobs survive a SIGKILL of the API pod', async () => {
    const api = await apiUrl(ns);
    const submitted = await Promise.all(
      Array.from({ length: 6 }, () => postJson(`${api}/jobs/submit/dinov3`, { images: [image] })),
    );
    expect(submitted.map((s) => s.status)).toEqual(Array(6).fill(200));
    const [apiPod] = await pods(ns, API_SELECTOR);
    if (!apiPod) throw new Error('no API pod');
    signalContainer(apiPod, 'api', 'SIGKILL');
    const [restarted] = await until(
      'the API restarted in its pod',
      async () => {
        const list = await readyPods(ns, API_SELECTOR, 1);
        return list[0]?.restarts === 1 ? list : undefined;
      },
      90_000,
    );
    const url = `http://${restarted?.ip}:8000`;
    for (const { body } of submitted) {
      const job = await until(
        `job ${body.job_id} completed`,
        async () => {
          const { body: job } = await getJson(`${url}/jobs/${body.job_id}`);
          if (job.status === 'failed') throw new Error(`job failed: ${job.error}`);
          return job.status === 'completed' ? job : undefined;
        },
        120_000,
      );
      expect(job.result.features.last_hidden_state.length).toBe(1);
    }
  });

  it('a model fetch that fails is ModelFetchFailed in the status and in the API, with the exit code and the reason', async () => {
    // A file:// model id fetches nothing over the network; the folder is missing, so fetch-model exits 1.
    await apply(
      ns,
      modelDeploymentManifest('gdino-missing', {
        modelType: 'grounding_dino',
        modelId: 'file:///nonexistent/gdino',
        device: 'cpu',
        replicas: 1,
      }),
    );
    const failed = await modelDeploymentInPhase(ns, 'gdino-missing', 'Failed', 120_000);
    expect(conditionReasons(failed)).toEqual({
      Ready: 'False/ModelFetchFailed',
      Progressing: 'False/ModelFetchFailed',
      Degraded: 'True/ModelFetchFailed',
    });
    expect(failed.status.message).toMatch(
      /^Pod focal-model-gdino-missing-\S+: init container fetch-model exited with code 1 \(Error\)(, restarted \d+ times?)?(, CrashLoopBackOff)?: model folder \/nonexistent\/gdino does not exist$/,
    );
    // What the kubelet wrote, from the container's log tail (FallbackToLogsOnError).
    const [pod] = await pods(ns, modelSelector('gdino-missing'));
    if (!pod) throw new Error('no pod');
    const fetch = (await kubectlJson(['get', 'pod', pod.name, '-n', ns])).status.initContainerStatuses[0];
    expect(fetch.state.terminated ?? fetch.lastState.terminated).toMatchObject({
      exitCode: 1,
      reason: 'Error',
      message: expect.stringContaining('model folder /nonexistent/gdino does not exist'),
    });
    const { body } = await getJson(`${await apiUrl(ns)}/models/status`);
    expect(body.grounding_dino).toMatchObject({ state: 'failed', model_id: 'file:///nonexistent/gdino' });
    expect(body.grounding_dino.error).toMatch(
      /^ModelFetchFailed: Pod focal-model-gdino-missing-\S+: init container fetch-model exited with code 1/,
    );
  });
});
