import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FAKE_KUBE_RESOURCES, FakeKubeApiServer } from '@focal/testing';
import { freePort } from '../support/focal-api.process.js';
import { createMd, eventually, getDeployment, getService, NS, phaseOf, testEnv } from './support/operator.harness.js';

const OPERATOR_ENTRY = resolve('dist/apps/operator/src/main.js');

let server: FakeKubeApiServer;
let dir: string;
let child: ChildProcess | undefined;
let output = '';

beforeAll(() => {
  if (!existsSync(OPERATOR_ENTRY)) throw new Error(`${OPERATOR_ENTRY} is missing: run npm run build first`);
});

beforeEach(async () => {
  server = new FakeKubeApiServer();
  await server.start();
  dir = mkdtempSync(join(tmpdir(), 'focal-operator-'));
  output = '';
});

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((done) => child?.once('exit', done));
    child.kill('SIGKILL');
    await exited;
  }
  child = undefined;
  rmSync(dir, { recursive: true, force: true });
  await server.stop();
});

/** node dist/apps/operator/src/main.js, configured like the chart does, reaching the fake server through KUBECONFIG. */
async function startOperatorProcess(): Promise<{ port: number; exited: Promise<number | null> }> {
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, server.kubeConfigYaml());
  const port = await freePort();
  child = spawn(process.execPath, [OPERATOR_ENTRY], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      KUBECONFIG: kubeconfig,
      FOCAL_ENV_FILE: '/nonexistent/.env',
      FOCAL_LOG_FORMAT: 'json',
      ...testEnv('focal-operator-smoke', {
        FOCAL_LEADER_ELECTION: 'true',
        FOCAL_OPERATOR_METRICS_PORT: String(port),
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const running = child;
  const exited = new Promise<number | null>((done) => running.once('exit', (code) => done(code)));
  await eventually(
    async () => {
      if (running.exitCode !== null) throw new Error(`the operator exited with ${running.exitCode}:\n${output}`);
      const response = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
      return response?.ok ? true : undefined;
    },
    'the operator to be ready',
    20_000,
  );
  return { port, exited };
}

describe('operator process (dist/apps/operator/src/main.js)', () => {
  it('reconciles a ModelDeployment from a kubeconfig file, then releases its Lease on SIGTERM and exits 0', async () => {
    const { port, exited } = await startOperatorProcess();
    await eventually(() => server.get(FAKE_KUBE_RESOURCES.leases, NS, 'focal-operator')?.spec, 'the Lease', 10_000);
    expect((server.get(FAKE_KUBE_RESOURCES.leases, NS, 'focal-operator') as any).spec.holderIdentity).toBe(
      'focal-operator-smoke',
    );

    createMd(server, 'dino', { modelId: 'demo', device: 'cpu' });
    await eventually(() => getDeployment(server, 'dino'), 'the Deployment', 10_000);
    await eventually(() => getService(server, 'dino'), 'the Service', 10_000);
    server.markDeploymentReady(NS, 'focal-model-dino');
    await phaseOf(server, 'dino', 'Ready');
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/focal_operator_leader\{app="operator"\} 1/);

    child?.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect((server.get(FAKE_KUBE_RESOURCES.leases, NS, 'focal-operator') as any).spec.holderIdentity).toBe('');
    const lines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { message?: { msg?: string } | string });
    const messages = lines.map((l) => (typeof l.message === 'object' ? l.message?.msg : l.message));
    expect(messages).toEqual(expect.arrayContaining(['became leader', 'released leadership', 'operator stopped']));
  });
});
