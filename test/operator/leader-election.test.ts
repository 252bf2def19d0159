import { FAKE_KUBE_RESOURCES } from '@focal/testing';
import {
  createMd,
  eventually,
  getDeployment,
  NS,
  phaseOf,
  settle,
  useFakeCluster,
  type RunningOperator,
} from './support/operator.harness.js';

const cluster = useFakeCluster({ FOCAL_LEADER_ELECTION: 'true' });
const start = (identity: string) => cluster.start(identity);

function lease(): any {
  return cluster.server.get(FAKE_KUBE_RESOURCES.leases, NS, 'focal-operator');
}

async function readyz(operator: RunningOperator): Promise<{ status: number; body: any }> {
  const response = await fetch(`http://127.0.0.1:${operator.runner.httpPort}/readyz`);
  return { status: response.status, body: await response.json() };
}

describe('operator: leader election', () => {
  it('lets only the Lease holder reconcile; the standby stays ready and takes over when the leader stops', async () => {
    const a = await start('operator-a');
    await eventually(() => (a.runner.isLeader ? true : undefined), 'operator-a to lead');
    const b = await start('operator-b');
    expect(lease().spec).toMatchObject({ holderIdentity: 'operator-a', leaseDurationSeconds: 2 });
    expect(lease().spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    createMd(cluster.server, 'dino');
    await phaseOf(cluster.server, 'dino', 'Pending');
    await settle(a);
    // Through a few renewals, the standby never gets to reconcile.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(b.runner.isLeader).toBe(false);
    expect(await a.metric('focal_operator_reconciles_total')).toBeGreaterThan(0);
    expect(await b.metric('focal_operator_reconciles_total')).toBe(0);
    expect(await a.metric('focal_operator_leader')).toBe(1);
    expect(await b.metric('focal_operator_leader')).toBe(0);
    expect(await readyz(b)).toEqual({ status: 200, body: { status: 'ready', leader: false, controller: 'standby' } });
    expect(lease().spec.holderIdentity).toBe('operator-a');

    await a.stop();
    await eventually(() => (b.runner.isLeader ? true : undefined), 'operator-b to take over', 3000);
    expect(lease().spec).toMatchObject({ holderIdentity: 'operator-b', leaseTransitions: 1 });

    createMd(cluster.server, 'depth', { modelType: 'depth_anything' });
    await eventually(() => getDeployment(cluster.server, 'depth'), 'the new leader to create children');
    await eventually(
      async () => ((await b.metric('focal_operator_reconciles_total')) > 0 ? true : undefined),
      'a reconcile counted by operator-b',
    );
  });

  it('releases the Lease on shutdown, so the next holder need not wait for it to expire', async () => {
    const a = await start('operator-a');
    await eventually(() => (a.runner.isLeader ? true : undefined), 'operator-a to lead');
    await a.stop();
    expect(lease().spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
    const b = await start('operator-b');
    // Far sooner than the 2 s lease a crashed leader would leave behind.
    await eventually(() => (b.runner.isLeader ? true : undefined), 'operator-b to lead', 1000);
  });

  it('takes over from a leader that stopped renewing without releasing, after the lease expires', async () => {
    cluster.server.create(FAKE_KUBE_RESOURCES.leases, {
      metadata: { name: 'focal-operator', namespace: NS },
      spec: { holderIdentity: 'crashed-pod', leaseDurationSeconds: 1, renewTime: '2025-01-01T00:00:00.000000Z' },
    });
    const b = await start('operator-b');
    createMd(cluster.server, 'dino');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(b.runner.isLeader).toBe(false);
    expect(getDeployment(cluster.server, 'dino')).toBeUndefined();
    await eventually(() => (b.runner.isLeader ? true : undefined), 'operator-b to lead', 3000);
    await eventually(() => getDeployment(cluster.server, 'dino'), 'the children');
    expect(lease().spec.holderIdentity).toBe('operator-b');
  });

  it('steps down when another process takes the Lease over', async () => {
    const a = await start('operator-a');
    await eventually(() => (a.runner.isLeader ? true : undefined), 'operator-a to lead');
    cluster.server.update(FAKE_KUBE_RESOURCES.leases, {
      ...lease(),
      spec: { ...lease().spec, holderIdentity: 'usurper' },
    });
    await eventually(() => (a.runner.isLeader ? undefined : true), 'operator-a to step down', 3000);
    expect((await readyz(a)).body).toMatchObject({ leader: false });
    await eventually(
      async () => ((await a.metric('focal_operator_leader')) === 0 ? true : undefined),
      'leader gauge 0',
    );
  });
});
