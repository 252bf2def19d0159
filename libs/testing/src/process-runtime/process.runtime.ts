import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { namespacedArgv, type BindMount, type ProcessUser } from './container.process.js';
import { PodIpAllocator } from './pod-ip.allocator.js';
import { CriError } from './cri.error.js';
import { CriLogWriter } from './cri-log.writer.js';
import type { ContainerConfig, ContainerFilter, PodSandboxConfig, PodSandboxFilter } from './cri.types.js';
import type { ImageStore } from './image.store.js';
import type { ImageProgram } from './image.programs.js';
import {
  containerMatches,
  exitOf,
  nanos,
  sandboxMatches,
  type ContainerRecord,
  type SandboxRecord,
} from './runtime.records.js';

export interface ProcessRuntimeOptions {
  images: ImageStore;
  /** 127.0.<subnet>.0/24: the node's pod addresses. */
  podSubnet: number;
  /** RuntimeClass handlers this node runs ('' is the default one). */
  runtimeHandlers: readonly string[];
  /** Folders of the runtime's own: a pod's working folder when its image names none. */
  stateRoot: string;
  /** The repository: dist/ and node_modules must stay visible to every container, whatever it mounts. */
  repo: string;
  /** Variables every container gets before its own: PATH, and the API server at its loopback address. */
  baseEnv: Record<string, string>;
  log: (entry: Record<string, unknown>) => void;
}

export interface ExecResult {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

interface Launch {
  program: ImageProgram;
  env: Record<string, string>;
  cwd: string;
  mounts: BindMount[];
  user?: ProcessUser;
}

interface RunningProcess {
  child: ChildProcess;
  logs?: CriLogWriter;
  exited: Promise<void>;
}

/**
 * The CRI runtime service of a node whose containers are local processes, for the real kubelet to drive. A pod
 * sandbox is an address (127.0.x.y, the pod's own IP, on which its processes listen) and a folder; a container is
 * its image's local program in a private mount namespace with the kubelet's mounts bound at their paths, writing
 * CRI-format logs to the file the kubelet named. The kubelet does the rest as on any node: volumes, Secrets and
 * ServiceAccount tokens, env, probes, restarts and back-off, termination and the pod's status.
 */
export class ProcessRuntime {
  private readonly sandboxes = new Map<string, SandboxRecord>();
  private readonly containers = new Map<string, ContainerRecord>();
  private readonly processes = new Map<string, RunningProcess>();
  private readonly ips: PodIpAllocator;

  constructor(private readonly options: ProcessRuntimeOptions) {
    this.ips = new PodIpAllocator(options.podSubnet);
  }

  runPodSandbox(config: PodSandboxConfig, runtimeHandler: string): string {
    if (!this.options.runtimeHandlers.includes(runtimeHandler)) {
      throw new CriError('NOT_FOUND', `no runtime for "${runtimeHandler}" is configured`);
    }
    const id = newId();
    const sandbox: SandboxRecord = {
      id,
      config,
      runtimeHandler,
      state: 'SANDBOX_READY',
      ip: this.ips.take(),
      createdAt: nanos(),
    };
    mkdirSync(this.sandboxFolder(id), { recursive: true });
    this.sandboxes.set(id, sandbox);
    this.options.log({ msg: 'sandbox started', pod: podName(config), sandbox: id, ip: sandbox.ip });
    return id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    const sandbox = this.sandboxes.get(id);
    if (!sandbox) return;
    // Not ready first: no container may be created in it while its containers stop.
    sandbox.state = 'SANDBOX_NOTREADY';
    await Promise.all(this.containersOf(id).map((c) => this.stopContainer(c.id, 0)));
  }

  async removePodSandbox(id: string): Promise<void> {
    const sandbox = this.sandboxes.get(id);
    if (!sandbox) return;
    await this.stopPodSandbox(id);
    for (const container of this.containersOf(id)) this.containers.delete(container.id);
    this.ips.release(sandbox.ip);
    this.sandboxes.delete(id);
    rmSync(this.sandboxFolder(id), { recursive: true, force: true });
    const { uid } = sandbox.config.metadata;
    if (![...this.sandboxes.values()].some((s) => s.config.metadata.uid === uid)) {
      rmSync(path.join(podsFolder(this.options.stateRoot), uid), { recursive: true, force: true });
    }
  }

  sandbox(id: string): SandboxRecord {
    const sandbox = this.sandboxes.get(id) ?? [...this.sandboxes.values()].find((s) => s.id.startsWith(id));
    if (!sandbox) throw new CriError('NOT_FOUND', `pod sandbox "${id}" not found`);
    return sandbox;
  }

  listSandboxes(filter: PodSandboxFilter | null | undefined): SandboxRecord[] {
    return [...this.sandboxes.values()].filter((s) => sandboxMatches(s, filter));
  }

  createContainer(sandboxId: string, config: ContainerConfig): string {
    const sandbox = this.sandbox(sandboxId);
    if (sandbox.state !== 'SANDBOX_READY')
      throw new CriError('FAILED_PRECONDITION', `pod sandbox ${sandboxId} is not ready`);
    const imageRef = this.options.images.find(config.image.image)?.id;
    if (!imageRef) throw new CriError('NOT_FOUND', `image "${config.image.image}" is not present`);
    const id = newId();
    this.containers.set(id, {
      id,
      sandboxId: sandbox.id,
      config,
      imageRef,
      state: 'CONTAINER_CREATED',
      createdAt: nanos(),
      startedAt: 0n,
      finishedAt: 0n,
      exitCode: 0,
      reason: '',
      message: '',
    });
    return id;
  }

  startContainer(id: string): void {
    const container = this.container(id);
    if (container.state !== 'CONTAINER_CREATED')
      throw new CriError('FAILED_PRECONDITION', `container ${id} is ${container.state}`);
    const sandbox = this.sandbox(container.sandboxId);
    const { command, args } = container.config;
    const { program, env, cwd, mounts, user } = this.launchOf(sandbox, container);
    const argv = program.argv(command, args, sandbox.ip);
    const [file = 'unshare', ...rest] = namespacedArgv(mounts, [this.options.repo], argv, user);
    // The log and the group file exist before the process does: nothing it writes or leaves is untracked.
    const logs = this.logWriter(sandbox, container);
    const groupFile = this.groupFile(sandbox, container);
    mkdirSync(path.dirname(groupFile), { recursive: true });
    const child = spawn(file, rest, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) writeFileSync(groupFile, String(child.pid));
    child.stdout?.on('data', (chunk: Buffer) => logs?.write('stdout', chunk));
    child.stderr?.on('data', (chunk: Buffer) => logs?.write('stderr', chunk));
    const exited = new Promise<void>((resolve) => {
      let status = { exitCode: 128, reason: 'StartError', message: '' };
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        Object.assign(container, { state: 'CONTAINER_EXITED', ...status, finishedAt: nanos() });
        this.options.log({
          msg: 'container exited',
          container: container.config.metadata.name,
          pod: podName(sandbox.config),
          code: status.exitCode,
        });
        resolve();
      };
      // The main process ended: so does the container, as a PID namespace ends with its init. What is left of its
      // group is killed, and the container is EXITED only once its output has ended ('close'), so the kubelet,
      // which stops following a log at its end once the container is not running, reads every last line.
      child.on('exit', (code, signal) => {
        status = { ...exitOf(code, signal), message: '' };
        signalGroup(child, 'SIGKILL');
      });
      child.on('close', finish);
      child.on('error', (error) => {
        status = { exitCode: 128, reason: 'StartError', message: error.message };
        finish();
      });
    }).finally(() => {
      logs?.close();
      rmSync(groupFile, { force: true });
      this.processes.delete(id);
    });
    this.processes.set(id, { child, logs, exited });
    Object.assign(container, { state: 'CONTAINER_RUNNING', startedAt: nanos(), pid: child.pid });
    this.options.log({
      msg: 'container started',
      container: container.config.metadata.name,
      pod: podName(sandbox.config),
      pid: child.pid,
    });
  }

  /**
   * Runs a command where the container runs (its env, folder and mounts), as an exec probe or `crictl exec` does:
   * its output and exit code, or exit code 124 once `timeoutSeconds` (0: none) have passed.
   */
  async execSync(id: string, cmd: readonly string[], timeoutSeconds: number): Promise<ExecResult> {
    const container = this.container(id);
    if (container.state !== 'CONTAINER_RUNNING')
      throw new CriError('FAILED_PRECONDITION', `container ${id} is not running`);
    const { env, cwd, mounts, user } = this.launchOf(this.sandbox(container.sandboxId), container);
    const [file = 'unshare', ...rest] = namespacedArgv(mounts, [this.options.repo], [...cmd], user);
    return new Promise((resolve) => {
      // Its own group: a timeout or its end kills whatever it started, so no grandchild holds the pipes open.
      const child = spawn(file, rest, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      let timedOut = false;
      const timer =
        timeoutSeconds > 0
          ? setTimeout(() => {
              timedOut = true;
              signalGroup(child, 'SIGKILL');
            }, timeoutSeconds * 1000)
          : undefined;
      const finish = (exitCode: number, message = '') => {
        clearTimeout(timer);
        resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat([...err, Buffer.from(message)]), exitCode });
      };
      let exitCode = 128;
      child.on('exit', (code, signal) => {
        exitCode = timedOut ? 124 : exitOf(code, signal).exitCode;
        signalGroup(child, 'SIGKILL');
      });
      child.on('error', (error) => finish(126, error.message));
      child.on('close', () => finish(exitCode));
    });
  }

  /** SIGTERM to the container's process group, then SIGKILL once `timeoutSeconds` have passed. */
  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    const running = this.processes.get(id);
    const container = this.containers.get(id);
    if (!running || !container) return;
    signalGroup(running.child, 'SIGTERM');
    const kill = setTimeout(() => signalGroup(running.child, 'SIGKILL'), Math.max(0, timeoutSeconds) * 1000);
    await running.exited;
    clearTimeout(kill);
  }

  async removeContainer(id: string): Promise<void> {
    await this.stopContainer(id, 0);
    this.containers.delete(id);
  }

  container(id: string): ContainerRecord {
    const container = this.containers.get(id) ?? [...this.containers.values()].find((c) => c.id.startsWith(id));
    if (!container) throw new CriError('NOT_FOUND', `container "${id}" not found`);
    return container;
  }

  listContainers(filter: ContainerFilter | null | undefined): ContainerRecord[] {
    return [...this.containers.values()].filter((c) => containerMatches(c, filter));
  }

  reopenLog(id: string): void {
    const running = this.processes.get(this.container(id).id);
    if (!running) throw new CriError('FAILED_PRECONDITION', `container ${id} is not running`);
    running.logs?.reopen();
  }

  /** Stops every container, as a node going down would. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.processes.keys()].map((id) => this.stopContainer(id, 5)));
  }

  private containersOf(sandboxId: string): ContainerRecord[] {
    return [...this.containers.values()].filter((c) => c.sandboxId === sandboxId);
  }

  private sandboxFolder(id: string): string {
    return path.join(this.options.stateRoot, 'sandboxes', id);
  }

  /** What a container's processes run with: the kubelet's env over the node's, the folder, the bind mounts. */
  private launchOf(sandbox: SandboxRecord, container: ContainerRecord): Launch {
    const { envs = [], working_dir: workingDir, mounts = [], image } = container.config;
    const program = this.options.images.program(image.image);
    const own = Object.fromEntries(envs.map((e) => [e.key, e.value.toString()]));
    const user = processUser(container.config);
    // As containerd does for a user the image's /etc/passwd does not name: HOME is /, unless the pod sets it.
    const env = { ...own, ...this.options.baseEnv, ...(user && user.uid !== 0 ? { HOME: own.HOME ?? '/' } : {}) };
    Object.assign(env, program.listenEnv(env, sandbox.ip));
    const cwd = workingDir || (program.workdir === 'repo' ? this.options.repo : this.sandboxFolder(sandbox.id));
    return {
      program,
      env,
      user,
      cwd: existsSync(cwd) ? cwd : '/',
      mounts: mounts
        // The kubelet's termination-message file: the programs never write it, and binding it would create a file
        // in the host's /dev. A failed container's message then comes from its log (FallbackToLogsOnError).
        .filter((m) => m.container_path !== '/dev/termination-log')
        .map((m) => ({ source: m.host_path, target: m.container_path, readOnly: m.readonly ?? false })),
    };
  }

  /**
   * Where a running container's process group is recorded, by pod UID and container name: what a test signals to
   * crash or freeze a container, and what `local-cluster.sh down` kills if the runtime itself was killed.
   */
  private groupFile(sandbox: SandboxRecord, container: ContainerRecord): string {
    const { uid } = sandbox.config.metadata;
    return path.join(podsFolder(this.options.stateRoot), uid, `${container.config.metadata.name}.pgid`);
  }

  private logWriter(sandbox: SandboxRecord, container: ContainerRecord): CriLogWriter | undefined {
    const directory = sandbox.config.log_directory;
    const file = container.config.log_path;
    return directory && file ? new CriLogWriter(path.join(directory, file)) : undefined;
  }
}

/** Where the running containers' group files are kept, a folder per pod UID: `<stateRoot>/pods/<uid>/<name>.pgid`. */
const podsFolder = (stateRoot: string) => path.join(stateRoot, 'pods');

/**
 * Kills the process groups a previous runtime on this state folder recorded and left (it was killed itself), so no
 * orphan keeps a pod address the new runtime hands out again; then forgets them. Returns how many it found.
 */
export function killLeftoverGroups(stateRoot: string): number {
  const pods = podsFolder(stateRoot);
  const files = existsSync(pods)
    ? readdirSync(pods).flatMap((uid) =>
        readdirSync(path.join(pods, uid))
          .filter((name) => name.endsWith('.pgid'))
          .map((name) => path.join(pods, uid, name)),
      )
    : [];
  for (const file of files) {
    try {
      process.kill(-Number(readFileSync(file, 'utf8')), 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  rmSync(pods, { recursive: true, force: true });
  return files.length;
}

/**
 * The user the kubelet asks a container to run as (runAsUser, runAsGroup, supplemental groups with fsGroup), or none
 * (the image's user: root here). A group left out is 0, as containerd does for a uid the image's /etc/passwd lacks.
 */
export function processUser(config: ContainerConfig): ProcessUser | undefined {
  const context = config.linux?.security_context;
  const uid = context?.run_as_user?.value;
  if (uid === undefined) return undefined;
  const gid = context?.run_as_group?.value ?? '0';
  const groups = [...new Set((context?.supplemental_groups ?? []).map(Number))];
  return { uid: Number(uid), gid: Number(gid), groups };
}

/** 64 hex digits, as container runtimes name their objects. */
const newId = () => randomBytes(32).toString('hex');

const podName = (config: PodSandboxConfig) => `${config.metadata.namespace}/${config.metadata.name}`;

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}
