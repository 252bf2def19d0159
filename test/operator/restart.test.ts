import { FAKE_KUBE_RESOURCES, FakeKubeApiServer } from '@focal/testing';
import {
  createMd,
  DEPLOYMENT_COLLECTION,
  eventually,
  getDeployment,
  getService,
  NS,
  requestsTo,
  SERVICE_COLLECTION,
  settle,
  startOperator,
  statusOf,
  type RunningOperator,
} from './support/operator.harness.js';

let server: FakeKubeApiServer;
const operators: RunningOperator[] = [];

beforeEach(async () => {
  server = new FakeKubeApiServer();
  await server.start();
});

afterEach(async () => {
  for (const operator of operators.splice(0)) await operator.stop();
  await server.stop();
});

async function start(identity: string): Promise<RunningOperator> {
  const operator = await startOperator(server, identity);
  operators.push(operator);
  return operator;
}

describe('operator: restart', () => {
  it('converges after a restart mid-way: the changed Deployment is updated once, nothing is created twice', async () => {
    // The first operator creates the Deployment, then cannot create the Service before it stops.
    server.failNext({ method: 'POST', path: SERVICE_COLLECTION, code: 500, times: 3 });
    const first = await start('operator-a');
    createMd(server, 'dino', { batching: { maxBatchSize: 1, maxDelayMs: 0 } });
    await eventually(
      () => (requestsTo(server, 'POST', SERVICE_COLLECTION) >= 3 ? true : undefined),
      'three failed creates',
    );
    await first.stop();
    const before = getDeployment(server, 'dino');
    expect(before).toBeDefined();
    const serviceExisted = getService(server, 'dino') !== undefined;

    server.patch(FAKE_KUBE_RESOURCES.modelDeployments, NS, 'dino', {
      spec: { batching: { maxBatchSize: 4, maxDelayMs: 2 } },
    });
    server.clearRequests();
    const second = await start('operator-b');
    await statusOf(server, 'dino', (md) => md.status?.observedGeneration === 2, 'the new generation observed');
    await settle(second);

    const after = getDeployment(server, 'dino');
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.metadata.annotations['focal.dev/spec-hash']).not.toBe(
      before.metadata.annotations['focal.dev/spec-hash'],
    );
    const env = after.spec.template.spec.containers[0].env;
    expect(env).toEqual(expect.arrayContaining([{ name: 'FOCAL_MAX_BATCH_SIZE', value: '4' }]));
    expect(requestsTo(server, 'PUT', `${DEPLOYMENT_COLLECTION}/focal-model-dino`)).toBe(1);
    expect(requestsTo(server, 'POST', DEPLOYMENT_COLLECTION)).toBe(0);
    expect(requestsTo(server, 'POST', SERVICE_COLLECTION)).toBe(serviceExisted ? 0 : 1);
    expect(server.list(FAKE_KUBE_RESOURCES.services, NS).map((s) => s.metadata.name)).toEqual(['focal-model-dino']);
  });

  it('does nothing on restart when nothing changed: no child writes, no status write', async () => {
    const first = await start('operator-a');
    createMd(server, 'dino');
    await eventually(() => getService(server, 'dino'), 'the Service');
    await statusOf(server, 'dino', (md) => md.status?.phase === 'Pending', 'Pending');
    await settle(first);
    await first.stop();

    server.clearRequests();
    const second = await start('operator-b');
    await settle(second);
    expect(await second.metric('focal_operator_reconciles_total', { result: 'success' })).toBeGreaterThan(0);
    const writes = server.requests().filter((r) => r.method !== 'GET' && !r.path.includes('/leases'));
    expect(writes).toEqual([]);
  });
});
