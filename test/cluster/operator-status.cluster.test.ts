import { jest } from '@jest/globals';
import { buildDinov3DemoGraph } from '@focal/demo-models';
import { FakeHub, metricSum } from '@focal/testing';
import { getJson } from '../support/test-images.js';
import { AuditLog, reconcileWritesBy, serviceAccount } from './support/audit-log.js';
import {
  OPERATOR_SELECTOR,
  apply,
  conditionReasons,
  deleteNamespace,
  demoModelDeployment,
  freshNamespace,
  installFocal,
  kubectl,
  kubectlJson,
  modelDeployment,
  modelDeploymentEvents,
  modelDeploymentInPhase,
  modelDeploymentManifest,
  operatorUrl,
  readyPods,
  until,
  watchModelDeployment,
} from './support/local-cluster.js';

jest.setTimeout(300_000);

interface Condition {
  type: string;
  status: string;
  reason: string;
  lastTransitionTime: string;
}

const conditionOf = (md: any, type: string): Condition =>
  (md.status?.conditions ?? []).find((c: Condition) => c.type === type);

/** The chart's operator pod's /metrics, at its pod IP. */
async function operatorMetrics(ns: string): Promise<string> {
  const [operator] = await readyPods(ns, OPERATOR_SELECTOR, 1);
  if (!operator) throw new Error('no operator pod');
  return String((await getJson(operatorUrl(operator, '/metrics'))).body);
}

/**
 * A ModelDeployment's status as the chart's operator writes it from what the real Deployment controller, ReplicaSets
 * and the kubelets' pods report: no Deployment status written by a test. (test/operator keeps the status cases the
 * fake API server's injected 409s and 500s need.)
 */
describe('ModelDeployment status on the local control plane', () => {
  let ns: string;
  const audit = new AuditLog();
  const operatorUser = () => serviceAccount(ns, 'focal-operator');

  beforeAll(async () => {
    ns = await freshNamespace('status');
    // The operator alone: no API pod is needed to follow a ModelDeployment.
    await installFocal(ns, ['--set', 'api.replicas=0']);
  });
  afterAll(async () => {
    if (ns) await deleteNamespace(ns);
  });

  it("goes Pending, Loading, Ready; Unloaded at 0 replicas and Ready again, keeping unchanged conditions' times", async () => {
    await apply(ns, demoModelDeployment('dino', 'dinov3'));
    const ready = await modelDeploymentInPhase(ns, 'dino', 'Ready', 120_000);
    expect(ready.status).toMatchObject({
      replicas: 1,
      readyReplicas: 1,
      message: '1/1 replicas ready',
      endpoint: `http://focal-model-dino.${ns}.svc:8080`,
      selector: 'app.kubernetes.io/instance=dino,app.kubernetes.io/name=focal-model',
      observedGeneration: 1,
    });
    expect(conditionReasons(ready)).toEqual({
      Ready: 'True/ReplicasReady',
      Progressing: 'False/Complete',
      Degraded: 'False/AsExpected',
    });
    // Transition times have whole seconds: let one pass, so a rewritten time would differ.
    await new Promise((resolve) => setTimeout(resolve, 1100));

    await kubectl(['scale', 'md', 'dino', '-n', ns, '--replicas=0']);
    const unloaded = await modelDeploymentInPhase(ns, 'dino', 'Unloaded', 120_000);
    expect(unloaded.status).toMatchObject({ replicas: 0, readyReplicas: 0, observedGeneration: 2 });
    expect(conditionReasons(unloaded)).toEqual({
      Ready: 'False/ScaledToZero',
      Progressing: 'False/ScaledToZero',
      Degraded: 'False/AsExpected',
    });
    // Degraded stayed False: its transition time is the one it got first. Ready turned False: a new time.
    expect(conditionOf(unloaded, 'Degraded').lastTransitionTime).toBe(
      conditionOf(ready, 'Degraded').lastTransitionTime,
    );
    expect(Date.parse(conditionOf(unloaded, 'Ready').lastTransitionTime)).toBeGreaterThan(
      Date.parse(conditionOf(ready, 'Ready').lastTransitionTime),
    );

    await kubectl(['scale', 'md', 'dino', '-n', ns, '--replicas=1']);
    const again = await modelDeploymentInPhase(ns, 'dino', 'Ready', 120_000);
    expect(again.status.observedGeneration).toBe(3);
    const reasons = (await modelDeploymentEvents(ns, 'dino')).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['ModelPending', 'ModelLoading', 'ModelReady', 'ModelUnloaded']));
  });

  it('does not rewrite the status or the children when an event changes nothing it reports', async () => {
    await apply(ns, demoModelDeployment('steady', 'depth_anything'));
    const ready = await modelDeploymentInPhase(ns, 'steady', 'Ready', 120_000);
    const reconciles = async () =>
      metricSum(await operatorMetrics(ns), 'focal_operator_reconciles_total', { result: 'success' });
    // Let the passes its own Ready write caused finish, so each count below is the event's own pass.
    let last = await reconciles();
    await until('the operator to settle', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const now = await reconciles();
      const settled = now === last;
      last = now;
      return settled ? true : undefined;
    });
    const mark = audit.mark();
    // A label on the ModelDeployment, and a label and an annotation on its Deployment: all watched, none shapes
    // anything. The annotation also bumps the Deployment's generation, which the controller observes a moment later:
    // the pods' template hash says no rollout is under way meanwhile.
    for (const change of [
      ['label', 'md', 'steady', '-n', ns, 'team=vision'],
      ['label', 'deployment', 'focal-model-steady', '-n', ns, 'example.com/owner=vision'],
      ['annotate', 'deployment', 'focal-model-steady', '-n', ns, 'example.com/note=steady'],
    ]) {
      const before = await reconciles();
      await kubectl(change);
      await until(`a pass after kubectl ${change[0]}`, async () => ((await reconciles()) > before ? true : undefined));
    }
    expect(reconcileWritesBy(await audit.since(mark, ns), operatorUser())).toEqual([]);
    expect((await modelDeployment(ns, 'steady')).status).toEqual(ready.status);
  });

  it('stays Ready while scaled from 2 replicas to 1: a new generation without a new template is no rollout', async () => {
    await apply(ns, demoModelDeployment('pair', 'depth_anything', 'cpu', 2));
    await modelDeploymentInPhase(ns, 'pair', 'Ready', 180_000);
    const watch = await watchModelDeployment(ns, 'pair');
    await kubectl(['scale', 'md', 'pair', '-n', ns, '--replicas=1']);
    // The operator's own write of the Deployment answers with the new generation, not yet observed by the controller:
    // the status it computes from that answer is the case this test is about.
    await until('pair at one replica', async () => {
      const last = watch.states().at(-1);
      return last && last.replicas === 1 && last.observedGeneration === 2 ? true : undefined;
    });
    const states = await watch.stop();
    expect(states.filter((state) => state.phase !== 'Ready')).toEqual([]);
    expect(states.map((state) => state.observedGeneration)).toContain(2);
  });

  it('serves /healthz, and /metrics with the reconcile, queue and write counters', async () => {
    const [operator] = await readyPods(ns, OPERATOR_SELECTOR, 1);
    if (!operator) throw new Error('no operator pod');
    expect((await getJson(operatorUrl(operator, '/healthz'))).status).toBe(200);
    const text = await operatorMetrics(ns);
    expect(metricSum(text, 'focal_operator_reconciles_total', { result: 'success' })).toBeGreaterThan(0);
    // One create per model Deployment there is: every ModelDeployment this file applied, none created twice.
    const models = await kubectlJson<{ items: unknown[] }>([
      'get',
      'deployments',
      '-n',
      ns,
      '-l',
      'app.kubernetes.io/name=focal-model',
    ]);
    expect(models.items.length).toBeGreaterThanOrEqual(3);
    expect(metricSum(text, 'focal_operator_child_writes_total', { kind: 'Deployment', action: 'create' })).toBe(
      models.items.length,
    );
    expect(metricSum(text, 'focal_operator_status_writes_total')).toBeGreaterThan(0);
    for (const name of [
      'focal_operator_reconcile_errors_total',
      'focal_operator_reconcile_duration_seconds_bucket',
      'focal_operator_queue_depth',
      'focal_operator_leader',
    ]) {
      expect(text).toContain(name);
    }
  });
});

describe('a model rollout past its progress deadline, on the local control plane', () => {
  const MODEL_ID = 'acme/slow-dinov3-ONNX';
  let ns: string;
  let hub: FakeHub;

  beforeAll(async () => {
    hub = await FakeHub.start();
    hub.addRepo(MODEL_ID, {
      files: {
        'config.json': JSON.stringify({ model_type: 'dinov3_vit' }),
        'onnx/model.onnx': Buffer.from(buildDinov3DemoGraph()),
      },
    });
    // The first download goes silent after 1 KiB; the model store's idle timeout (30 s) gives up on it, and its
    // retry resumes it.
    hub.injectFault({ repo: MODEL_ID, file: 'onnx/model.onnx' }, { kind: 'stall', afterBytes: 1024 });
    ns = await freshNamespace('deadline');
    await installFocal(ns, [
      '--set',
      'api.replicas=0',
      '--set',
      `hfEndpoint=${hub.url}`,
      '--set',
      'inference.progressDeadlineSeconds=8',
    ]);
  });
  afterAll(async () => {
    if (ns) await deleteNamespace(ns);
    await hub?.stop();
  });

  it("is Failed with the Deployment controller's ProgressDeadlineExceeded, then Ready once the download completes", async () => {
    await apply(ns, modelDeploymentManifest('slow', { modelType: 'dinov3', modelId: MODEL_ID, device: 'cpu' }));
    const deployment = await until<any>('the Deployment', async () =>
      kubectlJson(['get', 'deployment', 'focal-model-slow', '-n', ns]),
    );
    expect(deployment.spec.progressDeadlineSeconds).toBe(8);

    const failed = await modelDeploymentInPhase(ns, 'slow', 'Failed', 60_000);
    expect(conditionReasons(failed)).toEqual({
      Ready: 'False/ProgressDeadlineExceeded',
      Progressing: 'False/ProgressDeadlineExceeded',
      Degraded: 'True/ProgressDeadlineExceeded',
    });
    // The message is the Deployment controller's own.
    expect(failed.status.message).toMatch(/has timed out progressing/);
    const warning = (await modelDeploymentEvents(ns, 'slow')).find((e) => e.reason === 'ModelFailed');
    expect(warning).toMatchObject({ type: 'Warning' });

    // Not a dead end: the Deployment controller reports progress again once the pod is Ready, and so does the status.
    const ready = await modelDeploymentInPhase(ns, 'slow', 'Ready', 120_000);
    expect(conditionReasons(ready)).toEqual({
      Ready: 'True/ReplicasReady',
      Progressing: 'False/Complete',
      Degraded: 'False/AsExpected',
    });
    expect(hub.fileDownloads(MODEL_ID, 'onnx/model.onnx').length).toBeGreaterThanOrEqual(2);
  });
});
