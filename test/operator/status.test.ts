import { FAKE_KUBE_RESOURCES, FakeKubeApiServer } from '@focal/testing';
import {
  createMd,
  DEPLOYMENT_COLLECTION,
  eventually,
  getDeployment,
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

describe('operator: ModelDeployment status under API server faults (the fake API server injects them)', () => {
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
});
