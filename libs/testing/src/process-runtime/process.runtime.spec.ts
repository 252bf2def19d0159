import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { imagePrograms } from './image.programs.js';
import type { ContainerConfig, PodSandboxConfig } from './cri.types.js';
import { ImageStore } from './image.store.js';
import { killLeftoverGroups, processUser, ProcessRuntime } from './process.runtime.js';

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

/** No process has this PID any more (signal 0 only checks). */
const gone = (pid: number) => {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
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

  it('ends a container with its main process: what it left running in its group is killed', async () => {
    const { runtime: rt, root } = runtime();
    const sandboxId = rt.runPodSandbox(sandboxConfig(root), '');
    const shared = mkdtempSync(path.join(root, 'shared-'));
    const id = rt.createContainer(
      sandboxId,
      shell('main', 'sleep 60 & echo $! > /data/background; echo done', {
        mounts: [{ container_path: '/data', host_path: shared }],
      }),
    );
    rt.startContainer(id);
    await until('the container to exit', () => rt.container(id).state === 'CONTAINER_EXITED');
    expect(rt.container(id).exitCode).toBe(0);
    const background = Number(readFileSync(path.join(shared, 'background'), 'utf8'));
    await until('the background process to be gone', () => gone(background));
    expect(readFileSync(path.join(root, 'logs', 'uid-1', 'main', '0.log'), 'utf8')).toContain('stdout F done\n');
  });

  it('answers an exec whose command leaves a process behind at once, and kills that process', async () => {
    const { runtime: rt, root } = runtime();
    const sandboxId = rt.runPodSandbox(sandboxConfig(root), '');
    const id = rt.createContainer(sandboxId, shell('main', 'exec sleep 60'));
    rt.startContainer(id);
    await until('running', () => rt.container(id).state === 'CONTAINER_RUNNING');
    const started = Date.now();
    const result = await rt.execSync(id, ['sh', '-c', 'sleep 30 & echo $!'], 10);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.exitCode).toBe(0);
    const left = Number(result.stdout.toString());
    await until('the exec leftover to be gone', () => gone(left));
    await rt.stopContainer(id, 5);
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
    expect(gone(pid)).toBe(true);
    expect(() => rt.sandbox(sandboxId)).toThrow(/not found/);
    expect(rt.listContainers({ pod_sandbox_id: sandboxId })).toEqual([]);
    expect(existsSync(path.join(root, 'state', 'pods', 'uid-1'))).toBe(false);
    // Round-robin: a client holding the old pod's address fails fast rather than reaching a new pod.
    expect(rt.sandbox(rt.runPodSandbox(sandboxConfig(root, 'again'), '')).ip).not.toBe(ip);
  });

  it('runs a container and its exec probes as the user of the pod, with its groups and HOME /', async () => {
    const { runtime: rt, root } = runtime();
    const sandboxId = rt.runPodSandbox(sandboxConfig(root), '');
    const linux = {
      security_context: {
        run_as_user: { value: '1000' },
        run_as_group: { value: '3000' },
        supplemental_groups: ['2000'],
      },
    };
    const id = rt.createContainer(
      sandboxId,
      shell('main', 'echo "$(id -u) $(id -g) $(id -G) $HOME"; exec sleep 60', { linux }),
    );
    rt.startContainer(id);
    const log = path.join(root, 'logs', 'uid-1', 'main', '0.log');
    await until('the container to print its user', () => existsSync(log) && readFileSync(log, 'utf8').includes('\n'));
    expect(readFileSync(log, 'utf8')).toContain('stdout F 1000 3000 3000 2000 /\n');
    expect((await rt.execSync(id, ['id', '-u'], 5)).stdout.toString()).toBe('1000\n');
    await rt.stopContainer(id, 5);
  });
});

describe('processUser', () => {
  const config = (security_context: object | undefined) => ({
    metadata: { name: 'c', attempt: 0 },
    image: { image: 'i' },
    ...(security_context ? { linux: { security_context } } : {}),
  });

  it.each<[string, object | undefined, unknown]>([
    ["no security context: the image's user", undefined, undefined],
    ['no runAsUser', { supplemental_groups: ['5'] }, undefined],
    ['runAsUser alone: group 0', { run_as_user: { value: '1000' } }, { uid: 1000, gid: 0, groups: [] }],
    [
      'runAsUser, runAsGroup and groups (fsGroup once)',
      {
        run_as_user: { value: '1000' },
        run_as_group: { value: '1000' },
        supplemental_groups: ['1000', '2000', '1000'],
      },
      { uid: 1000, gid: 1000, groups: [1000, 2000] },
    ],
  ])('%s', (_case, context, expected) => {
    expect(processUser(config(context))).toEqual(expected);
  });
});

describe('killLeftoverGroups', () => {
  it('kills the groups a killed runtime recorded and forgets them', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'focal-leftovers-'));
    const orphan = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    mkdirSync(path.join(root, 'pods', 'uid-9'), { recursive: true });
    writeFileSync(path.join(root, 'pods', 'uid-9', 'main.pgid'), String(orphan.pid));
    const gone = new Promise((resolve) => orphan.on('exit', (_code, signal) => resolve(signal)));
    expect(killLeftoverGroups(root)).toBe(1);
    expect(await gone).toBe('SIGKILL');
    expect(existsSync(path.join(root, 'pods'))).toBe(false);
    expect(killLeftoverGroups(root)).toBe(0);
  });
});
