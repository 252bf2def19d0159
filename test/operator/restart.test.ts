import { FAKE_KUBE_RESOURCES } from '@focal/testing';
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
  useFakeCluster,
  statusOf,
} from './support/operator.harness.js';

const cluster = useFakeCluster();
const start = (identity: string) => cluster.start(identity);

describe('operator: restart', () => {
  it('converges after a restart mid-way: the changed Deployment is updated once, nothing is created twice', async () => {
    // The first operator creates the Deployment, then cannot create the Service before it stops.
    cluster.server.failNext({ method: 'POST', path: SERVICE_COLLECTION, code: 500, times: 3 });
    const first = await start('operator-a');
    createMd(cluster.server, 'dino', { batching: { maxBatchSize: 1, maxDelayMs: 0 } });
    await eventually(
      () => (requestsTo(cluster.server, 'POST', SERVICE_COLLECTION) >= 3 ? true : undefined),
      'three failed creates',
    );
    await first.stop();
    const before = getDeployment(cluster.server, 'dino');
    expect(before).toBeDefined();
    const serviceExisted = getService(cluster.server, 'dino') !== undefined;

    cluster.server.patch(FAKE_KUBE_RESOURCES.modelDeployments, NS, 'dino', {
      spec: { batching: { maxBatchSize: 4, maxDelayMs: 2 } },
    });
    cluster.server.clearRequests();
    const second = await start('operator-b');
    await statusOf(cluster.server, 'dino', (md) => md.status?.observedGeneration === 2, 'the new generation observed');
    await settle(second);

    const after = getDeployment(cluster.server, 'dino');
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.metadata.annotations['focal.dev/spec-hash']).not.toBe(
      before.metadata.annotations['focal.dev/spec-hash'],
    );
    const env = after.spec.template.spec.containers[0].env;
    expect(env).toEqual(expect.arrayContaining([{ name: 'FOCAL_MAX_BATCH_SIZE', value: '4' }]));
    expect(requestsTo(cluster.server, 'PUT', `${DEPLOYMENT_COLLECTION}/focal-model-dino`)).toBe(1);
    expect(requestsTo(cluster.server, 'POST', DEPLOYMENT_COLLECTION)).toBe(0);
    expect(requestsTo(cluster.server, 'POST', SERVICE_COLLECTION)).toBe(serviceExisted ? 0 : 1);
    expect(cluster.server.list(FAKE_KUBE_RESOURCES.services, NS).map((s) => s.metadata.name)).toEqual([
      'focal-model-dino',
    ]);
  });
});
