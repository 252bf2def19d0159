import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { imagePrograms } from './image.programs.js';
import type { ContainerConfig, PodSandboxConfig } from './cri.types.js';
import { ImageStore } from './image.store.js';
import { ProcessRuntime } from './process.runtime.js';

// Real processes in private mount namespaces (root here, as where the kubelet runs them), no kubelet.
const REPO = path.resolve(process.cwd());

function runtime(): { runtime: ProcessRuntime; root: string; images: ImageStore } {
  const root = mkdtempSync(path.join(tmpdir(), 'focal-process-runtime-'));
  const images = new ImageStore(imagePrograms(REPO));
  images.pull({ image: 'focal/inference:local' });
  const runtime = new ProcessRuntime({
    images,
    podSubnet: 201,
    runtimeHandlers: ['', 'nvidia'],
    stateRoot: path.join(root, 'state'),
    repo: REPO,
    baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', KUBERNETES_SERVICE_HOST: '127.0.0.1' },
    log: () => undefined,
  });
  return { runtime, root, images };
}

const sandboxConfig = (root: string, uid = 'uid-1'): PodSandboxConfig => ({
  metadata: { name: 'pod', uid, namespace: 'ns', attempt: 0 },
  log_directory: path.join(root, 'logs', uid),
  labels: { app: 'spec' },
});

const shell = (name: string, script: string, extra: Partial<ContainerConfig> = {}): ContainerConfig => ({
  metadata: { name, attempt: 0 },
  image: { image: 'focal/inference:local' },
  command: ['sh', '-c', script],
  log_path: `${name}/0.log`,
  ...extra,
});

const until = async (what: string, check: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('ProcessRuntime', () => {
  it('gives each sandbox its own address of the node subnet, and refuses a handler it has not', () => {
    const { runtime: rt, root } = runtime();
    const a = rt.sandbox(rt.runPodSandbox(sandboxConfig(root, 'a'), ''));
    const b = rt.sandbox(rt.runPodSandbox(sandboxConfig(root, 'b'), 'nvidia'));
    expect(a.ip).toMatch(/^127\.0\.201\.\d+$/);
    expect(b.ip).not.toBe(a.ip);
    expect(rt.listSandboxes({ label_selector: { app: 'spec' } })).toHaveLength(2);
    expect(() => rt.runPodSandbox(sandboxConfig(root, 'c'), 'kata')).toThrow(/no runtime for "kata"/);
  });

  it('runs a container with the kubelet env over its own, logs in CRI format, and reports how it exited', async () => {
    const { runtime: rt, root } = runtime();
    const sandboxId = rt.runPodSandbox(sandboxConfig(root), '');
    const id = rt.createContainer(
      sandboxId,
      shell('main', 'echo "host=$KUBERNETES_SERVICE_HOST word=$WORD"; echo oops >&2; exit 3', {
        envs: [
          { key: 'WORD', value: 'hi' },
          { key: 'KUBERNETES_SERVICE_HOST', value: '10.0.0.1' },
        ],
      }),
    );
    rt.startContainer(id);
    await until('the container to exit', () => rt.container(id).state === 'CONTAINER_EXITED');
    expect(rt.container(id)).toMatchObject({ exitCode: 3, reason: 'Error' });
    const log = readFileSync(path.join(root, 'logs', 'uid-1', 'main', '0.log'), 'utf8');
    const records = log
      .trim()
      .split('\n')
      .map((r) => r.split(' ').slice(1).join(' '))
      .sort();
    expect(records).toEqual(['stderr F oops', 'stdout F host=127.0.0.1 word=hi']);
    expect(() => rt.startContainer(id)).toThrow(/CONTAINER_EXITED/);
  });

  it('refuses a container of an image the node does not have', () => {
    const { runtime: rt, root } = runtime();
    const sandboxId = rt.runPodSandbox(sandboxConfig(root), '');
    expect(() =>
      rt.createContainer(sandboxId, { ...shell('main', 'true'), image: { image: 'example.com/nothing:1' } }),
    ).toThrow(/is not present/);
  });

  it('records the process group while running, runs exec probes where the container runs, stops with SIGTERM', async () => {
    const { runtime: rt, root } = runtime();
    const sandboxId = rt.runPodSandbox(sandboxConfig(root), '');
    const shared = mkdtempSync(path.join(root, 'shared-'));
    const id = rt.createContainer(
      sandboxId,
      shell('main', 'echo up > /data/state; exec sleep 60', {
        mounts: [{ container_path: '/data', host_path: shared }],
      }),
    );
    rt.startContainer(id);
    const group = path.join(root, 'state', 'pods', 'uid-1', 'main.pgid');
    await until('the group file', () => existsSync(group));
    expect(Number(readFileSync(group, 'utf8'))).toBe(rt.container(id).pid);
    await until('the container to write its state', () => existsSync(path.join(shared, 'state')));

    // /data is the container's mount, not a host path: only a command in its mounts sees the file there.
    const seen = await rt.execSync(id, ['cat', '/data/state'], 5);
    expect([seen.exitCode, seen.stdout.toString()]).toEqual([0, 'up\n']);
    expect((await rt.execSync(id, ['sh', '-c', 'exit 7'], 5)).exitCode).toBe(7);
    expect((await rt.execSync(id, ['sleep', '5'], 1)).exitCode).toBe(124);

    await rt.stopContainer(id, 5);
    expect(rt.container(id)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 143 });
    expect(existsSync(group)).toBe(false);
    await expect(rt.execSync(id, ['true'], 1)).rejects.toThrow(/not running/);
  });

  it('kills a container that ignores SIGTERM once the grace period is over', async () => {
    const { runtime: rt, root } = runtime();
    const sandboxId = rt.runPodSandbox(sandboxConfig(root), '');
    const id = rt.createContainer(
      sandboxId,
      shell('stubborn', "trap '' TERM; echo armed; while true; do sleep 0.1; done"),
    );
    rt.startContainer(id);
    await until('the trap', () => existsSync(path.join(root, 'logs', 'uid-1', 'stubborn', '0.log')));
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await rt.stopContainer(id, 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(rt.container(id).exitCode).toBe(137);
  });

  it('removing a sandbox stops its containers and removes its folders; its address is not handed out at once', async () => {
    const { runtime: rt, root } = runtime();
    const sandboxId = rt.runPodSandbox(sandboxConfig(root), '');
    const ip = rt.sandbox(sandboxId).ip;
    const id = rt.createContainer(sandboxId, shell('main', 'exec sleep 60'));
    rt.startContainer(id);
    await until('the group file', () => existsSync(path.join(root, 'state', 'pods', 'uid-1', 'main.pgid')));
    const pid = rt.container(id).pid ?? 0;
    await rt.removePodSandbox(sandboxId);
    expect(() => process.kill(pid, 0)).toThrow();
    expect(() => rt.sandbox(sandboxId)).toThrow(/not found/);
    expect(rt.listContainers({ pod_sandbox_id: sandboxId })).toEqual([]);
    expect(existsSync(path.join(root, 'state', 'pods', 'uid-1'))).toBe(false);
    // Round-robin: a client holding the old pod's address fails fast rather than reaching a new pod.
    expect(rt.sandbox(rt.runPodSandbox(sandboxConfig(root, 'again'), '')).ip).not.toBe(ip);
  });
});
