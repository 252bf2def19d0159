import type { ChildProcess } from 'node:child_process';
import { open, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { launchContainer } from './container.process.js';
import { repositoryOf, type ImageProgram } from './image.programs.js';
import { resolveEnv, type PodAddresses } from './pod-env.resolver.js';
import { buildPodStatus, restartDelayMs, type ContainerRecord } from './pod-status.builder.js';
import { materialiseVolumes, refreshVolumes, type TokenMinter, type VolumeContext } from './pod-volumes.js';
import { ContainerConfigError, type ContainerSpec, type ObjectLookup, type Pod, type Probe } from './pod.types.js';
import { runProbe } from './probe.runner.js';

export interface PodRunnerDeps {
  programs: Map<string, ImageProgram>;
  lookup: ObjectLookup;
  mintToken: TokenMinter;
  writeStatus: (pod: Pod, status: unknown) => Promise<void>;
  deletePod: (pod: Pod) => Promise<void>;
  log: (msg: Record<string, unknown>) => void;
  /** Environment every container starts with (PATH, KUBERNETES_SERVICE_HOST/PORT, …). */
  baseEnv: Record<string, string>;
  repo: string;
  stateRoot: string;
  backoff: { baseMs: number; maxMs: number };
}

const TOKEN_REFRESH_MS = 20 * 60_000;

/** Resolves after ms, or at once when the runner stops. */
function pause(ms: number, stopped: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([new Promise<void>((r) => (timer = setTimeout(r, ms))), stopped]).finally(() =>
    clearTimeout(timer),
  );
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code: code ?? 128, signal }));
    child.once('error', () => resolve({ code: 128, signal: null }));
  });

/** The kubelet's limits for FallbackToLogsOnError: the last 80 lines, at most 2048 bytes. */
const TAIL_LINES = 80;
const TAIL_BYTES = 2048;

/** The end of one run's log (from `start`), as the kubelet puts it in terminated.message. */
export async function logTail(file: string, start: number): Promise<string> {
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const from = Math.max(start, size - TAIL_BYTES);
      const buffer = Buffer.alloc(size - from);
      await handle.read(buffer, 0, buffer.length, from);
      return buffer.toString('utf8').split('\n').slice(-TAIL_LINES).join('\n').trim();
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}

/**
 * The kubelet's job for one pod: volumes, init containers in order, then the containers with their
 * probes and crash-loop restarts, the status written after every change, and graceful termination.
 */
export class PodRunner {
  private pod: Pod;
  private readonly init: ContainerRecord[];
  private readonly main: ContainerRecord[];
  private readonly processes = new Map<string, ChildProcess>();
  private readonly startTime = new Date().toISOString();
  private initialized = false;
  private stopping = false;
  private stop!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.stop = resolve));
  private statusChain: Promise<void> = Promise.resolve();
  private lastStatus = '';
  private refreshTimer: NodeJS.Timeout | undefined;
  private volumeFolders = new Map<string, string>();

  constructor(
    pod: Pod,
    private readonly addresses: PodAddresses,
    private readonly deps: PodRunnerDeps,
  ) {
    this.pod = pod;
    const record = (spec: ContainerSpec, reason: string): ContainerRecord => ({
      spec,
      state: { waiting: { reason } },
      restartCount: 0,
      ready: false,
      started: false,
    });
    this.init = (pod.spec.initContainers ?? []).map((c) => record(c, 'PodInitializing'));
    this.main = pod.spec.containers.map((c) =>
      record(c, pod.spec.initContainers?.length ? 'PodInitializing' : 'ContainerCreating'),
    );
  }

  get ip(): string {
    return this.addresses.podIp;
  }

  get root(): string {
    return path.join(this.deps.stateRoot, this.pod.metadata.uid ?? this.pod.metadata.name);
  }

  update(pod: Pod): void {
    this.pod = { ...pod, status: { ...pod.status } };
  }

  async run(): Promise<void> {
    this.publish();
    if (!(await this.prepareVolumes())) return;
    for (const record of this.init) {
      if (!(await this.runToCompletion(record))) return;
    }
    this.initialized = true;
    this.publish();
    await Promise.all(this.main.map((record) => this.keepRunning(record)));
  }

  /** SIGTERM to every container, SIGKILL after the grace period, then the pod object is removed. */
  async terminate(graceSeconds: number, removeObject = true): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.stop();
    clearInterval(this.refreshTimer);
    await Promise.all([...this.processes.values()].map((child) => this.kill(child, graceSeconds)));
    if (removeObject) {
      await this.statusChain;
      await this.deps
        .deletePod(this.pod)
        .catch((error: Error) => this.deps.log({ msg: 'delete failed', pod: this.name, error: error.message }));
    }
    await rm(path.join(this.root, 'volumes'), { recursive: true, force: true });
  }

  private get name(): string {
    return `${this.pod.metadata.namespace ?? 'default'}/${this.pod.metadata.name}`;
  }

  private context(): VolumeContext {
    return {
      pod: this.pod,
      addresses: this.addresses,
      lookup: this.deps.lookup,
      mintToken: this.deps.mintToken,
      root: this.root,
    };
  }

  private async prepareVolumes(): Promise<boolean> {
    while (!this.stopping) {
      try {
        this.volumeFolders = await materialiseVolumes(this.context());
        this.refreshTimer = setInterval(
          () => void refreshVolumes(this.context()).catch(() => undefined),
          TOKEN_REFRESH_MS,
        );
        return true;
      } catch (error) {
        const reason = error instanceof ContainerConfigError ? 'CreateContainerConfigError' : 'ContainerCreating';
        for (const record of [...this.init, ...this.main])
          record.state = { waiting: { reason, message: (error as Error).message } };
        this.publish();
        await pause(2000, this.stopped);
      }
    }
    return false;
  }

  /** An init container: restarted with back-off until it exits 0. */
  private async runToCompletion(record: ContainerRecord): Promise<boolean> {
    while (!this.stopping) {
      const result = await this.runOnce(record, false);
      if (this.stopping) return false;
      if (result?.code === 0) return true;
      await (result ? this.backOff(record) : this.retryStart(record));
    }
    return false;
  }

  /** A container: restarted with back-off whenever it exits, until the pod stops. */
  private async keepRunning(record: ContainerRecord): Promise<void> {
    while (!this.stopping) {
      const result = await this.runOnce(record, true);
      if (this.stopping) return;
      await (result ? this.backOff(record) : this.retryStart(record));
    }
  }

  /**
   * A container that could not start (no image, a missing Secret) never ran, so it does not crash-loop:
   * the kubelet keeps its waiting reason (an image pull turns into ImagePullBackOff) and retries.
   */
  private async retryStart(record: ContainerRecord): Promise<void> {
    const waiting = 'waiting' in record.state ? record.state.waiting : undefined;
    if (waiting?.reason === 'ErrImagePull') {
      record.state = {
        waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${record.spec.image}"` },
      };
      this.publish();
    }
    await pause(this.deps.backoff.baseMs, this.stopped);
  }

  private async backOff(record: ContainerRecord): Promise<void> {
    record.restartCount++;
    const delay = restartDelayMs(record.restartCount, this.deps.backoff.baseMs, this.deps.backoff.maxMs);
    record.lastState = record.state;
    record.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${Math.round(delay / 1000)}s restarting failed container=${record.spec.name} pod=${this.pod.metadata.name}`,
      },
    };
    this.publish();
    await pause(delay, this.stopped);
  }

  /** One run of a container's process; undefined when it could not be started. */
  private async runOnce(record: ContainerRecord, withProbes: boolean) {
    const { spec } = record;
    const program = this.deps.programs.get(repositoryOf(spec.image));
    if (!program) {
      record.state = {
        waiting: {
          reason: 'ErrImagePull',
          message: `image ${spec.image} has no local program (see image.programs.ts)`,
        },
      };
      this.publish();
      return undefined;
    }
    let env: Record<string, string>;
    try {
      env = await resolveEnv(this.pod, spec, this.addresses, this.deps.lookup);
    } catch (error) {
      record.state = { waiting: { reason: 'CreateContainerConfigError', message: (error as Error).message } };
      this.publish();
      return undefined;
    }
    const fullEnv = { ...this.deps.baseEnv, HOSTNAME: this.pod.metadata.name, ...env };
    Object.assign(fullEnv, program.listenEnv(fullEnv, this.addresses.podIp));
    const mounts = (spec.volumeMounts ?? []).flatMap((mount) => {
      const source = this.volumeFolders.get(mount.name);
      return source ? [{ source, mount }] : [];
    });
    const logFile = path.join(this.root, 'logs', `${spec.name}.log`);
    // Where this run's output starts: the log file keeps every restart, the kubelet's tail is per run.
    const logStart = await stat(logFile).then(
      (s) => s.size,
      () => 0,
    );
    const child = launchContainer({
      argv: program.argv(spec.command, spec.args, this.addresses.podIp),
      env: fullEnv,
      cwd: program.workdir === 'repo' ? this.deps.repo : this.root,
      mounts,
      keep: [this.deps.repo],
      logFile,
    });
    const done = exited(child);
    this.processes.set(spec.name, child);
    if (child.pid) await writeFile(path.join(this.root, `${spec.name}.pgid`), String(child.pid)).catch(() => undefined);
    const startedAt = new Date().toISOString();
    record.state = { running: { startedAt } };
    record.started = !spec.startupProbe;
    record.ready = withProbes && !spec.readinessProbe && record.started;
    this.publish();
    this.deps.log({
      msg: 'container started',
      pod: this.name,
      container: spec.name,
      pid: child.pid,
      ip: this.addresses.podIp,
    });

    const probing = withProbes ? this.probe(record, child, fullEnv, done) : Promise.resolve();
    const result = await done;
    this.processes.delete(spec.name);
    await probing;
    record.ready = false;
    record.started = false;
    const failed = result.code !== 0 || result.signal !== null;
    const message =
      failed && spec.terminationMessagePolicy === 'FallbackToLogsOnError' ? await logTail(logFile, logStart) : '';
    record.state = {
      terminated: {
        exitCode: result.signal ? 128 + (result.signal === 'SIGKILL' ? 9 : 15) : result.code,
        reason: failed ? 'Error' : 'Completed',
        startedAt,
        finishedAt: new Date().toISOString(),
        ...(message ? { message } : {}),
      },
    };
    this.deps.log({
      msg: 'container exited',
      pod: this.name,
      container: spec.name,
      code: result.code,
      signal: result.signal,
    });
    this.publish();
    return result;
  }

  /** Startup gates liveness and readiness; liveness failures kill the process, which then restarts. */
  private async probe(
    record: ContainerRecord,
    child: ChildProcess,
    env: Record<string, string>,
    done: Promise<unknown>,
  ) {
    let alive = true;
    void done.then(() => (alive = false));
    const target = { podIp: this.addresses.podIp, container: record.spec, env };
    const gone = Promise.race([done.then(() => undefined), this.stopped]);
    const { startupProbe, readinessProbe, livenessProbe } = record.spec;
    if (startupProbe) {
      const ok = await this.untilThreshold(startupProbe, target, () => alive, gone, true);
      if (!alive || this.stopping) return;
      if (!ok) return this.kill(child, this.grace());
      record.started = true;
      if (!readinessProbe) record.ready = true;
      this.publish();
    }
    const loops: Array<Promise<void>> = [];
    if (readinessProbe) loops.push(this.readinessLoop(record, readinessProbe, target, () => alive, gone));
    if (livenessProbe) {
      loops.push(
        this.untilThreshold(livenessProbe, target, () => alive, gone, false).then(async (failed) => {
          if (failed && alive && !this.stopping) {
            this.deps.log({
              msg: 'liveness probe failed: killing container',
              pod: this.name,
              container: record.spec.name,
            });
            await this.kill(child, this.grace());
          }
        }),
      );
    }
    await Promise.all(loops);
  }

  /**
   * Probes every period. With wantSuccess, resolves true on successThreshold successes or false on
   * failureThreshold failures; otherwise resolves true once failureThreshold failures in a row happen.
   */
  private async untilThreshold(
    probe: Probe,
    target: Parameters<typeof runProbe>[1],
    alive: () => boolean,
    gone: Promise<unknown>,
    wantSuccess: boolean,
  ) {
    await pause((probe.initialDelaySeconds ?? 0) * 1000, gone as Promise<void>);
    let failures = 0;
    let successes = 0;
    while (alive() && !this.stopping) {
      if (await runProbe(probe, target)) {
        failures = 0;
        if (wantSuccess && ++successes >= (probe.successThreshold ?? 1)) return true;
      } else {
        successes = 0;
        if (++failures >= (probe.failureThreshold ?? 3)) return !wantSuccess;
      }
      await pause((probe.periodSeconds ?? 10) * 1000, gone as Promise<void>);
    }
    return false;
  }

  private async readinessLoop(
    record: ContainerRecord,
    probe: Probe,
    target: Parameters<typeof runProbe>[1],
    alive: () => boolean,
    gone: Promise<unknown>,
  ) {
    await pause((probe.initialDelaySeconds ?? 0) * 1000, gone as Promise<void>);
    let failures = 0;
    let successes = 0;
    while (alive() && !this.stopping) {
      if (await runProbe(probe, target)) {
        failures = 0;
        successes++;
        if (!record.ready && successes >= (probe.successThreshold ?? 1)) {
          record.ready = true;
          this.publish();
        }
      } else {
        successes = 0;
        if (record.ready && ++failures >= (probe.failureThreshold ?? 3)) {
          record.ready = false;
          this.publish();
        }
      }
      // Probe faster until first ready, so a pod becomes Ready soon after it can serve (a kubelet
      // probes at the period; the first ready report is what every test and user waits on).
      await pause(
        record.ready ? (probe.periodSeconds ?? 10) * 1000 : Math.min(1000, (probe.periodSeconds ?? 10) * 1000),
        gone as Promise<void>,
      );
    }
  }

  private grace(): number {
    return this.pod.spec.terminationGracePeriodSeconds ?? 30;
  }

  private async kill(child: ChildProcess, graceSeconds: number): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
    const done = exited(child);
    const signal = (s: NodeJS.Signals) => {
      try {
        process.kill(-(child.pid ?? 0), s);
      } catch {
        /* already gone */
      }
    };
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), graceSeconds * 1000);
    await done;
    clearTimeout(timer);
  }

  /** Writes the status when it changed; writes are chained so they land in order. */
  private publish(): void {
    const status = buildPodStatus(this.pod, {
      ...this.addresses,
      startTime: this.startTime,
      initContainers: this.init,
      containers: this.main,
      initialized: this.initialized,
      now: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    });
    const text = JSON.stringify(status);
    if (text === this.lastStatus) return;
    this.lastStatus = text;
    this.pod.status = { ...this.pod.status, conditions: status.conditions };
    this.statusChain = this.statusChain
      .then(() => this.deps.writeStatus(this.pod, status))
      .catch((error: Error) => this.deps.log({ msg: 'status write failed', pod: this.name, error: error.message }));
  }
}
