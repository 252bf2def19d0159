import type { LeaseApi } from '../cluster/cluster.ports.js';
import { KubeApiError } from '../cluster/kube-api.error.js';
import type { LeaseObject } from '../cluster/kube-objects.js';
import { SILENT_LOG } from '../common/operator-log.js';
import { LeaderElector, microTime, type LeaderElectionOptions } from './leader.elector.js';

/** One Lease with the API server's optimistic concurrency: a replace with a stale resourceVersion is a 409. */
class InMemoryLeases implements LeaseApi {
  lease?: LeaseObject;
  private version = 0;
  failNextGet?: Error;

  async getLease(): Promise<LeaseObject | undefined> {
    if (this.failNextGet) {
      const error = this.failNextGet;
      this.failNextGet = undefined;
      throw error;
    }
    return this.lease && structuredClone(this.lease);
  }

  async createLease(_ns: string, lease: LeaseObject): Promise<LeaseObject> {
    if (this.lease) throw new KubeApiError(409, 'AlreadyExists', 'exists');
    return this.store(lease);
  }

  async replaceLease(_ns: string, _name: string, lease: LeaseObject): Promise<LeaseObject> {
    if (lease.metadata.resourceVersion !== this.lease?.metadata.resourceVersion) {
      throw new KubeApiError(409, 'Conflict', 'the object has been modified');
    }
    return this.store(lease);
  }

  private store(lease: LeaseObject): LeaseObject {
    this.lease = structuredClone({
      ...lease,
      metadata: { ...lease.metadata, resourceVersion: String(++this.version) },
    });
    return structuredClone(this.lease);
  }
}

class ManualClock {
  constructor(private ms = Date.parse('2025-03-01T12:00:00.000Z')) {}
  now = () => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

const OPTIONS: Omit<LeaderElectionOptions, 'identity'> = {
  namespace: 'focal',
  leaseName: 'focal-operator',
  leaseDurationSeconds: 15,
  renewPeriodMs: 5000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2000,
};

function candidates() {
  const api = new InMemoryLeases();
  const clock = new ManualClock();
  const elector = (identity: string) => new LeaderElector(api, { ...OPTIONS, identity }, clock, SILENT_LOG);
  return { api, clock, a: elector('pod-a'), b: elector('pod-b') };
}

describe('LeaderElector.tryAcquireOrRenew', () => {
  it('creates the Lease when there is none and holds it', async () => {
    const { api, a, clock } = candidates();
    expect(await a.tryAcquireOrRenew()).toBe('held');
    expect(api.lease?.spec).toEqual({
      holderIdentity: 'pod-a',
      leaseDurationSeconds: 15,
      acquireTime: microTime(clock.now()),
      renewTime: microTime(clock.now()),
      leaseTransitions: 0,
    });
  });

  it('leaves a Lease another candidate renews alone, however long it waits', async () => {
    const { a, b, clock } = candidates();
    await a.tryAcquireOrRenew();
    for (let i = 0; i < 5; i++) {
      clock.advance(5000);
      expect(await a.tryAcquireOrRenew()).toBe('held');
      expect(await b.tryAcquireOrRenew()).toBe('taken');
    }
  });

  it('takes over once the holder stopped renewing for the lease duration, counted from when it saw the last change', async () => {
    const { api, a, b, clock } = candidates();
    await a.tryAcquireOrRenew();
    expect(await b.tryAcquireOrRenew()).toBe('taken');
    clock.advance(14_999);
    expect(await b.tryAcquireOrRenew()).toBe('taken');
    clock.advance(1);
    expect(await b.tryAcquireOrRenew()).toBe('held');
    expect(api.lease?.spec).toMatchObject({
      holderIdentity: 'pod-b',
      leaseTransitions: 1,
      acquireTime: microTime(clock.now()),
    });
    expect(await a.tryAcquireOrRenew()).toBe('taken');
  });

  it('keeps acquireTime and the transition count when renewing', async () => {
    const { api, a, clock } = candidates();
    await a.tryAcquireOrRenew();
    const acquired = api.lease?.spec?.acquireTime;
    clock.advance(5000);
    await a.tryAcquireOrRenew();
    expect(api.lease?.spec).toMatchObject({
      acquireTime: acquired,
      renewTime: microTime(clock.now()),
      leaseTransitions: 0,
    });
  });

  it('takes a released Lease (empty holder) at once', async () => {
    const { api, a, b } = candidates();
    await a.tryAcquireOrRenew();
    expect(await b.tryAcquireOrRenew()).toBe('taken');
    await a.release();
    expect(api.lease?.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
    expect(await b.tryAcquireOrRenew()).toBe('held');
    expect(api.lease?.spec?.holderIdentity).toBe('pod-b');
  });

  it('does not release a Lease someone else holds', async () => {
    const { api, a, b } = candidates();
    await b.tryAcquireOrRenew();
    await a.release();
    expect(api.lease?.spec?.holderIdentity).toBe('pod-b');
  });

  it('loses a race for the same Lease with a 409 and reports it taken', async () => {
    const { api, a, b } = candidates();
    await a.tryAcquireOrRenew();
    await a.release();
    const realGet = api.getLease.bind(api);
    // b reads the released Lease, then a re-acquires before b writes.
    api.getLease = async () => {
      const seen = await realGet();
      api.getLease = realGet;
      await a.tryAcquireOrRenew();
      return seen;
    };
    expect(await b.tryAcquireOrRenew()).toBe('taken');
    expect(api.lease?.spec?.holderIdentity).toBe('pod-a');
  });

  it('reports an API failure as failed, not as taken', async () => {
    const { api, a } = candidates();
    api.failNextGet = new KubeApiError(503, 'ServiceUnavailable', 'etcd is down');
    expect(await a.tryAcquireOrRenew()).toBe('failed');
  });

  it('writes MicroTime with six fractional digits', () => {
    expect(microTime(new Date('2025-03-01T12:00:00.123Z'))).toBe('2025-03-01T12:00:00.123000Z');
  });
});

describe('LeaderElector.mayAct', () => {
  it('holds while the last renewal is within the renew deadline, and not once a pause outlived it', async () => {
    const api = new InMemoryLeases();
    const clock = new ManualClock();
    // A renew period far beyond the test: after its first attempt the loop sleeps, as a paused process would.
    const elector = new LeaderElector(
      api,
      { ...OPTIONS, identity: 'pod-a', renewPeriodMs: 60_000, retryPeriodMs: 60_000 },
      clock,
      SILENT_LOG,
    );
    expect(elector.mayAct()).toBe(false);
    elector.start({ onStartedLeading: () => undefined, onStoppedLeading: () => undefined });
    for (let i = 0; i < 100 && !elector.isLeader; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(elector.isLeader).toBe(true);
    expect(elector.mayAct()).toBe(true);
    clock.advance(OPTIONS.renewDeadlineMs - 1);
    expect(elector.mayAct()).toBe(true);
    clock.advance(1);
    // Still the leader as far as its loop knows, but another candidate may take the Lease soon: no writes.
    expect(elector.isLeader).toBe(true);
    expect(elector.mayAct()).toBe(false);
    await elector.stop();
    expect(api.lease?.spec?.holderIdentity).toBe('');
  });
});
