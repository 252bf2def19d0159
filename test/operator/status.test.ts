import { FAKE_KUBE_RESOURCES, FakeKubeApiServer } from '@focal/testing';
import {
  createMd,
  DEPLOYMENT_COLLECTION,
  eventsFor,
  eventually,
  getDeployment,
  getMd,
  MD_COLLECTION,
  NS,
  phaseOf,
  requestsTo,
  settle,
  startOperator,
  statusOf,
  type RunningOperator,
} from './support/operator.harness.js';

let server: FakeKubeApiServer;
let operator: RunningOperator;

beforeEach(async () => {
  server = new FakeKubeApiServer();
  await server.start();
  operator = await startOperator(server);
});

afterEach(async () => {
  await operator.stop();

  await server.stop();
});

const DEPLOYMENT = 'focal-model-dino';

/** `kubectl scale md dino --replicas=N`: a merge patch on the scale subresource. */
async function scale(replicas: number): Promise<void> {
  const response = await fetch(`${server.url}${MD_COLLECTION}/dino/scale`, {
    method: 'PATCH',
    headers: { Authorization: 'Bearer fake-token', 'Content-Type': 'application/merge-patch+json' },
    body: JSON.stringify({ spec: { replicas } }),
  });
  expect(response.status).toBe(200);
}

function conditions(name: string): Record<string, string> {
  return Object.fromEntries(
    (getMd(server, name)?.status?.conditions ?? []).map((c) => [c.type, `${c.status}/${c.reason}`]),
  );
}

describe('operator: ModelDeployment status', () => {
  it('follows the Deployment through Pending, Loading and Ready, and back to Unloaded when scaled to 0', async () => {
    createMd(server, 'dino');
    const pending = await phaseOf(server, 'dino', 'Pending');
    expect(pending.status).toMatchObject({
      replicas: 0,
      readyReplicas: 0,
      endpoint: 'http://focal-model-dino.focal.svc:8080',
      selector: 'app.kubernetes.io/instance=dino,app.kubernetes.io/name=focal-model',
      observedGeneration: 1,
    });

    server.setDeploymentStatus(NS, DEPLOYMENT, { observedGeneration: 1, replicas: 1, readyReplicas: 0 });
    await phaseOf(server, 'dino', 'Loading');
    expect(conditions('dino')).toEqual({
      Ready: 'False/Loading',
      Progressing: 'True/Loading',
      Degraded: 'False/AsExpected',
    });

    server.markDeploymentReady(NS, DEPLOYMENT);
    const ready = await phaseOf(server, 'dino', 'Ready');
    expect(ready.status).toMatchObject({ replicas: 1, readyReplicas: 1, message: '1/1 replicas ready' });
    expect(conditions('dino')).toEqual({
      Ready: 'True/ReplicasReady',
      Progressing: 'False/Complete',
      Degraded: 'False/AsExpected',
    });

    await scale(0);
    await eventually(() => (getDeployment(server, 'dino').spec.replicas === 0 ? true : undefined), 'replicas 0');
    const unloading = await phaseOf(server, 'dino', 'Pending');
    expect(unloading.status?.observedGeneration).toBe(2);
    expect(conditions('dino').Progressing).toBe('True/ScalingDown');

    server.markDeploymentReady(NS, DEPLOYMENT);
    const unloaded = await phaseOf(server, 'dino', 'Unloaded');
    expect(unloaded.status).toMatchObject({ replicas: 0, readyReplicas: 0 });

    await scale(1);
    await eventually(() => (getDeployment(server, 'dino').spec.replicas === 1 ? true : undefined), 'replicas 1');
    server.setDeploymentStatus(NS, DEPLOYMENT, { replicas: 1, readyReplicas: 0 });
    await phaseOf(server, 'dino', 'Loading');
    server.markDeploymentReady(NS, DEPLOYMENT);
    await phaseOf(server, 'dino', 'Ready');

    const reasons = eventsFor(server, 'dino').map((e) => e.reason);
    for (const reason of ['ModelPending', 'ModelLoading', 'ModelReady', 'ModelUnloaded'])
      expect(reasons).toContain(reason);
  });

  it('reports Failed when the Deployment exceeds its progress deadline', async () => {
    createMd(server, 'dino');
    await phaseOf(server, 'dino', 'Pending');
    server.setDeploymentStatus(NS, DEPLOYMENT, {
      replicas: 1,
      readyReplicas: 0,
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: 'ReplicaSet "focal-model-dino-1" has timed out progressing.',
        },
      ],
    });
    const failed = await phaseOf(server, 'dino', 'Failed');
    expect(failed.status?.message).toContain('has timed out progressing');
    await eventually(
      () =>
        eventsFor(server, 'dino').some((e) => e.type === 'Warning' && e.reason === 'ModelFailed') ? true : undefined,
      'a Warning event',
    );
  });

  it('does not rewrite the status when nothing changed', async () => {
    createMd(server, 'dino');
    await phaseOf(server, 'dino', 'Pending');
    server.markDeploymentReady(NS, DEPLOYMENT);
    const ready = await phaseOf(server, 'dino', 'Ready');
    await settle(operator);
    const reconciles = await operator.metric('focal_operator_reconciles_total');
    server.clearRequests();

    // Events that make the operator look again without changing anything it reports.
    server.patch(FAKE_KUBE_RESOURCES.modelDeployments, NS, 'dino', { metadata: { labels: { team: 'vision' } } });
    server.setDeploymentStatus(NS, DEPLOYMENT, { availableReplicas: 1 });
    await settle(operator, 500);

    expect(await operator.metric('focal_operator_reconciles_total')).toBeGreaterThan(reconciles);
    expect(requestsTo(server, 'PUT', `${MD_COLLECTION}/dino/status`)).toBe(0);
    expect(requestsTo(server, 'PUT', `${DEPLOYMENT_COLLECTION}/${DEPLOYMENT}`)).toBe(0);
    expect(getMd(server, 'dino')?.status).toEqual(ready.status);
  });

  it('keeps lastTransitionTime of conditions whose status did not change', async () => {
    createMd(server, 'dino');
    await phaseOf(server, 'dino', 'Pending');
    const before = getMd(server, 'dino')?.status?.conditions ?? [];
    // Transition times have whole seconds: let a second pass so a rewritten time would differ.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    server.setDeploymentStatus(NS, DEPLOYMENT, { replicas: 1, readyReplicas: 0 });
    const loading = await phaseOf(server, 'dino', 'Loading');
    const after = loading.status?.conditions ?? [];
    const ready = (list: typeof after) => list.find((c) => c.type === 'Ready');
    // Ready stays False (its reason changes), so its transition time stays.
    expect(ready(after)).toEqual({
      ...ready(before),
      reason: 'Loading',
      message: 'Loading the model: 0/1 replicas ready',
    });
    expect(after.find((c) => c.type === 'Degraded')).toEqual(before.find((c) => c.type === 'Degraded'));
  });

  it('retries a status write that hits a 409 by re-reading', async () => {
    server.failNext({ method: 'PUT', path: `${MD_COLLECTION}/dino/status`, code: 409, reason: 'Conflict' });
    createMd(server, 'dino');
    await phaseOf(server, 'dino', 'Pending');
    expect(requestsTo(server, 'PUT', `${MD_COLLECTION}/dino/status`)).toBeGreaterThanOrEqual(2);
    expect(await operator.metric('focal_operator_reconcile_errors_total')).toBe(0);
  });

  it('retries a Deployment update that hits a 409 by re-reading', async () => {
    createMd(server, 'dino');
    await phaseOf(server, 'dino', 'Pending');
    await settle(operator);
    server.failNext({ method: 'PUT', path: `${DEPLOYMENT_COLLECTION}/${DEPLOYMENT}`, code: 409, reason: 'Conflict' });
    server.clearRequests();
    server.patch(FAKE_KUBE_RESOURCES.modelDeployments, NS, 'dino', { spec: { replicas: 3 } });
    await eventually(() => (getDeployment(server, 'dino').spec.replicas === 3 ? true : undefined), 'replicas 3');
    expect(requestsTo(server, 'PUT', `${DEPLOYMENT_COLLECTION}/${DEPLOYMENT}`)).toBe(2);
    await statusOf(server, 'dino', (md) => md.status?.observedGeneration === 2, 'generation 2 observed');
    expect(await operator.metric('focal_operator_reconcile_errors_total')).toBe(0);
  });

  it('backs off and recovers when the API server fails', async () => {
    server.failNext({ method: 'GET', path: `${MD_COLLECTION}/dino`, code: 500, times: 3 });
    createMd(server, 'dino');
    await phaseOf(server, 'dino', 'Pending');
    expect(await operator.metric('focal_operator_reconcile_errors_total')).toBe(3);
    expect(operator.log.messages('warn')).toContain('reconcile failed');
  });

  it('serves /healthz, /readyz and /metrics with the reconcile metrics', async () => {
    createMd(server, 'dino');
    await phaseOf(server, 'dino', 'Pending');
    const base = `http://127.0.0.1:${operator.runner.httpPort}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', leader: true, controller: 'running' });
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/focal_operator_reconciles_total\{result="success",app="operator"\} [1-9]/);
    for (const name of [
      'focal_operator_reconcile_errors_total',
      'focal_operator_reconcile_duration_seconds_bucket',
      'focal_operator_queue_depth',
      'focal_operator_child_writes_total{kind="Deployment",action="create"',
      'focal_operator_status_writes_total',
    ]) {
      expect(text).toContain(name);
    }
  });
});
