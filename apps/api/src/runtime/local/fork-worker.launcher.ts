import { ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ApiConfig } from '@focal/config';
import type { WorkerListeningMessage } from '@focal/contracts';
import type { WorkerExit, WorkerHandle, WorkerLaunchSpec, WorkerLauncher } from './worker.launcher.js';

/** The worker prints this JSON line on stderr before exiting when its model cannot load. */
const LOAD_ERROR_MARKER = 'FOCAL_LOAD_ERROR:';
const STDERR_TAIL_BYTES = 8192;

/** The compiled inference entry point, beside this app's own build output (apps never import each other). */
function defaultWorkerEntry(): string {
  return fileURLToPath(new URL('../../../../inference/src/main.js', import.meta.url));
}

function parseLoadError(stderrTail: string): { reason: string; status: number | undefined } | undefined {
  const line = stderrTail.split('\n').find((l) => l.startsWith(LOAD_ERROR_MARKER));
  if (!line) return undefined;
  try {
    const parsed = JSON.parse(line.slice(LOAD_ERROR_MARKER.length)) as { reason?: string; status?: number };
    return { reason: parsed.reason ?? 'unknown load error', status: parsed.status };
  } catch {
    return { reason: line.slice(LOAD_ERROR_MARKER.length).trim(), status: undefined };
  }
}

class ForkedWorker implements WorkerHandle {
  readonly listening: Promise<number>;
  readonly exited: Promise<WorkerExit>;
  private stderrTail = '';

  constructor(private readonly child: ChildProcess) {
    child.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve(this.describeExit(code, signal)));
    });
    this.listening = new Promise((resolve, reject) => {
      child.on('message', (message: WorkerListeningMessage) => {
        if (message?.type === 'listening') resolve(message.port);
      });
      void this.exited.then((exit) => reject(Object.assign(new Error(exit.reason), { exit })));
    });
    this.listening.catch(() => undefined);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async stop(timeoutMs: number): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  private describeExit(code: number | null, signal: NodeJS.Signals | null): WorkerExit {
    const loadError = parseLoadError(this.stderrTail);
    const tail = this.stderrTail.trim().split('\n').slice(-5).join(' | ');
    const how = signal ? `signal ${signal}` : `code ${code}`;
    const reason = loadError?.reason ?? `worker exited with ${how}${tail ? `: ${tail}` : ''}`;
    return { code, signal, reason, status: loadError?.status };
  }
}

/** Forks `apps/inference` with an IPC channel: the worker announces its port and exits with its parent. */
export class ForkWorkerLauncher implements WorkerLauncher {
  constructor(private readonly config: ApiConfig) {}

  launch(spec: WorkerLaunchSpec): WorkerHandle {
    const { local, hub, logging } = this.config;
    const env: Record<string, string> = {
      ...this.config.processEnv,
      FOCAL_MODEL_TYPE: spec.modelType,
      FOCAL_MODEL_ID: spec.modelId,
      FOCAL_DEVICE: spec.device,
      FOCAL_HOST: local.host,
      FOCAL_INFERENCE_PORT: '0',
      FOCAL_MAX_BATCH_SIZE: String(local.maxBatchSize),
      FOCAL_MAX_BATCH_DELAY_MS: String(local.maxBatchDelayMs),
      FOCAL_INTRA_OP_THREADS: String(local.intraOpThreads),
      ...(local.maxBatchElements === undefined ? {} : { FOCAL_MAX_BATCH_ELEMENTS: String(local.maxBatchElements) }),
      FOCAL_MAX_IMAGE_PIXELS: String(this.config.limits.maxImagePixels),
      FOCAL_LOG_LEVEL: logging.level,
      FOCAL_LOG_FORMAT: logging.json ? 'json' : 'text',
      HF_ROOT_FOLDER: hub.rootFolder,
      HF_ENDPOINT: hub.endpoint,
      HF_HUB_OFFLINE: String(hub.offline),
      ...(hub.token ? { HF_TOKEN: hub.token } : {}),
    };
    const child = fork(local.workerEntry ?? defaultWorkerEntry(), [], {
      env,
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      execArgv: [],
    });
    return new ForkedWorker(child);
  }
}
