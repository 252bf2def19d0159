import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { jest } from '@jest/globals';
import { freePort, metricSum } from '@focal/testing';
import { getJson } from '../support/test-images.js';
import { AuditLog, writesBy } from './support/audit-log.js';
import {
  OPERATOR_SELECTOR,
  REPO,
  apply,
  clusterEnv,
  containerLog,
  followContainerLog,
  deleteNamespace,
  demoModelDeployment,
  freshNamespace,
  installFocal,
  kubectl,
  kubectlJson,
  modelDeploymentInPhase,
  modelSelector,
  operatorUrl,
  pods,
  readyPods,
  signalContainer,
  until,
  type PodSummary,
} from './support/local-cluster.js';

jest.setTimeout(300_000);

/** Short enough for a test, long enough that a renewal every 500 ms never lets it lapse on a busy machine. */
const LEASE_SECONDS = 10;
const ELECTION_ENV = {
  FOCAL_LEADER_ELECTION_LEASE_DURATION_SECONDS: String(LEASE_SECONDS),
  FOCAL_LEADER_ELECTION_RENEW_DEADLINE_MS: '5000',
  FOCAL_LEADER_ELECTION_RENEW_PERIOD_MS: '500',
  FOCAL_LEADER_ELECTION_RETRY_PERIOD_MS: '250',
};
const LEASE = 'focal-operator';

interface Lease {
  spec: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

const lease = (ns: string) => kubectlJson<Lease>(['get', 'lease', LEASE, '-n', ns]);
const readyz = async (pod: PodSummary) => (await getJson(operatorUrl(pod, '/readyz'))).body;
const metrics = async (pod: PodSummary) => String((await getJson(operatorUrl(pod, '/metrics'))).body);

/**
 * Leader election among the chart's operator replicas, on the real API server's Leases: which replica wrote what
 * is read from the audit log, where each request carries the pod its bound token names. (test/operator keeps only
 * the elector's faults the fake API server injects.)
 */
describe('operator leader election on the local control plane (two chart replicas)', () => {
  let ns: string;
  const audit = new AuditLog();
  let leader: PodSummary;
  let standby: PodSummary;

  beforeAll(async () => {
    ns = await freshNamespace('leader');
    const env = Object.entries(ELECTION_ENV).map(([name, value]) => ({ name, value }));
    // No API pod: only the operator replicas are under test.
    await installFocal(ns, [
      '--set',
      'operator.replicas=2',
      '--set',
      'api.replicas=0',
      '--set-json',
      `operator.extraEnv=${JSON.stringify(env)}`,
    ]);
    const operators = await readyPods(ns, OPERATOR_SELECTOR, 2);
    const holder = await until('a replica to hold the Lease', async () => {
      const name = (await lease(ns)).spec.holderIdentity;
      return operators.find((o) => o.name === name);
    });
    leader = holder;
    standby = operators.find((o) => o.name !== holder.name) as PodSummary;
  });
  afterAll(async () => {
    if (ns) await deleteNamespace(ns);
  });

  it('lets only the Lease holder reconcile; the standby is ready, stands by and writes nothing', async () => {
    expect((await lease(ns)).spec).toMatchObject({ holderIdentity: leader.name, leaseDurationSeconds: LEASE_SECONDS });
    expect(await readyz(leader)).toEqual({ status: 'ready', leader: true, controller: 'running' });
    expect(await readyz(standby)).toEqual({ status: 'ready', leader: false, controller: 'standby' });

    const mark = audit.mark();
    await apply(ns, demoModelDeployment('one', 'dinov3'));
    await modelDeploymentInPhase(ns, 'one', 'Ready', 120_000);
    const events = await audit.since(mark, ns);
    expect(writesBy(events, { pod: leader.name }, 'deployments')).toEqual(['create deployments/focal-model-one']);
    expect(writesBy(events, { pod: leader.name }, 'services')).toEqual(['create services/focal-model-one']);
    // The leader renews with updates; the standby only reads the Lease, and writes nothing at all.
    const renewals = writesBy(events, { pod: leader.name }, 'leases');
    expect(renewals.length).toBeGreaterThan(0);
    expect(new Set(renewals)).toEqual(new Set([`update leases/${LEASE}`]));
    expect(writesBy(events, { pod: standby.name })).toEqual([]);

    expect(metricSum(await metrics(leader), 'focal_operator_leader')).toBe(1);
    expect(metricSum(await metrics(standby), 'focal_operator_leader')).toBe(0);
    expect(metricSum(await metrics(standby), 'focal_operator_reconciles_total')).toBe(0);
  });

  it('replaces a leader frozen past its lease, which steps down once thawed and writes nothing', async () => {
    const frozen = leader;
    signalContainer(frozen, 'operator', 'SIGSTOP');
    const mark = audit.mark();
    const before = await lease(ns);
    try {
      // Work that arrives while nobody may lead: a new ModelDeployment, and a change to the existing one.
      await apply(ns, demoModelDeployment('two', 'depth_anything'));
      await kubectl(['patch', 'md', 'one', '-n', ns, '--type=merge', '-p', '{"spec":{"batching":{"maxBatchSize":4}}}']);
      const taken = await until(
        'the standby to take the Lease',
        async () => {
          const now = await lease(ns);
          return now.spec.holderIdentity === standby.name ? now : undefined;
        },
        60_000,
      );
      // The standby judges expiry by when it saw the last renewal on its own clock: never sooner than a lease after.
      const waited = Date.parse(taken.spec.acquireTime ?? '') - Date.parse(before.spec.renewTime ?? '');
      expect(waited).toBeGreaterThanOrEqual(LEASE_SECONDS * 1000 - 50);
      expect(taken.spec.leaseTransitions).toBe((before.spec.leaseTransitions ?? 0) + 1);
      await modelDeploymentInPhase(ns, 'two', 'Ready', 120_000);
    } finally {
      signalContainer(frozen, 'operator', 'SIGCONT');
    }
    await until('the thawed replica to stand by', async () => {
      const body = await readyz(frozen);
      return body.leader === false && body.controller === 'standby' ? true : undefined;
    });
    await until('its log to say why', async () =>
      (await containerLog(ns, frozen, 'operator')).includes('lost leadership') ? true : undefined,
    );
    const events = await audit.since(mark, ns);
    // Everything that changed while it was frozen was done by the new leader, and by it alone.
    expect(writesBy(events, { pod: standby.name }, 'deployments')).toEqual(
      expect.arrayContaining(['create deployments/focal-model-two', 'update deployments/focal-model-one']),
    );
    expect(writesBy(events, { pod: frozen.name })).toEqual([]);
    expect((await pods(ns, OPERATOR_SELECTOR)).find((p) => p.name === frozen.name)?.restarts).toBe(0);
    [leader, standby] = [standby, frozen];
  });

  it('releases the Lease when its pod is deleted, so the other takes it before the lease would run out', async () => {
    const before = await lease(ns);
    expect(before.spec.holderIdentity).toBe(leader.name);
    const mark = audit.mark();
    const leaderLog = await followContainerLog(ns, leader, 'operator');
    await kubectl(['delete', 'pod', leader.name, '-n', ns, '--wait=true']);
    const taken = await until(
      'another replica to take the Lease',
      async () => {
        const now = await lease(ns);
        return now.spec.holderIdentity && now.spec.holderIdentity !== leader.name ? now : undefined;
      },
      60_000,
    );
    // Had the Lease not been released, no one could have taken it before a lease after its last renewal.
    const waited = Date.parse(taken.spec.acquireTime ?? '') - Date.parse(before.spec.renewTime ?? '');
    expect(waited).toBeLessThan(LEASE_SECONDS * 1000);
    const log = await leaderLog.ended;
    expect(log).toContain('released leadership');
    expect(log).toContain('operator stopped');
    const leaseWrites = writesBy(await audit.since(mark, ns), { pod: leader.name }, 'leases');
    expect(leaseWrites.length).toBeGreaterThan(0);
    // The replacement pod the ReplicaSet starts becomes the standby; the new holder reconciles.
    await readyPods(ns, OPERATOR_SELECTOR, 2);
    await apply(ns, demoModelDeployment('three', 'dinov3'));
    await modelDeploymentInPhase(ns, 'three', 'Ready', 120_000);
    expect((await kubectlJson(['get', 'deployment', 'focal-model-three', '-n', ns])).metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'ModelDeployment', name: 'three' }),
    ]);
  });
});

/** What a developer runs against a cluster from their own machine: the operator process and a kubeconfig file. */
describe('the operator process outside the cluster, from a kubeconfig file', () => {
  let ns: string;
  const entry = path.join(REPO, 'dist/apps/operator/src/main.js');

  beforeAll(async () => {
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
    ns = await freshNamespace('outside');
  });
  afterAll(async () => {
    if (ns) await deleteNamespace(ns);
  });

  it('leads, reconciles a ModelDeployment to Ready, then on SIGTERM releases the Lease and exits 0', async () => {
    const port = await freePort();
    let output = '';
    const child = spawn(process.execPath, [entry], {
      cwd: REPO,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: clusterEnv().state,
        KUBECONFIG: clusterEnv().kubeconfig,
        FOCAL_ENV_FILE: '/nonexistent/.env',
        FOCAL_LOG_FORMAT: 'json',
        FOCAL_OPERATOR_NAMESPACE: ns,
        FOCAL_POD_NAME: 'laptop',
        FOCAL_OPERATOR_METRICS_HOST: '127.0.0.1',
        FOCAL_OPERATOR_METRICS_PORT: String(port),
        FOCAL_INFERENCE_IMAGE: 'focal/inference:local',
        FOCAL_INFERENCE_IMAGE_PULL_POLICY: 'Never',
        FOCAL_OPERATOR_SHUTDOWN_TIMEOUT_MS: '5000',
        ...ELECTION_ENV,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      const held = await until('the Lease', async () => {
        if (child.exitCode !== null) throw new Error(`the operator exited with ${child.exitCode}:\n${output}`);
        return (await lease(ns).catch(() => undefined))?.spec;
      });
      expect(held.holderIdentity).toBe('laptop');
      await apply(ns, demoModelDeployment('dino', 'dinov3'));
      await readyPods(ns, modelSelector('dino'), 1);
      await modelDeploymentInPhase(ns, 'dino', 'Ready', 120_000);
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metricSum(text, 'focal_operator_leader')).toBe(1);
      expect(metricSum(text, 'focal_operator_reconciles_total', { result: 'success' })).toBeGreaterThan(0);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    expect((await lease(ns)).spec.holderIdentity).toBe('');
    const messages = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { message?: { msg?: string } | string })
      .map((l) => (typeof l.message === 'object' ? l.message?.msg : l.message));
    expect(messages).toEqual(expect.arrayContaining(['became leader', 'released leadership', 'operator stopped']));
  });
});
