import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';

/** The compiled API, as `npm run start:api` runs it. */
const API_ENTRY = resolve('dist/apps/api/src/main.js');
const LOG_TAIL_CHARS = 16_384;

/** The API process ended before answering /health (bad config, or a dist/ being rebuilt underneath). */
class ApiExitedError extends Error {}

export interface ApiLaunchOptions {
  redisUrl: string;
  /** Model cache (HF_ROOT_FOLDER); demo models are generated here by the workers. */
  hfRoot: string;
  /** Extra FOCAL_* variables, e.g. FOCAL_MAX_BATCH_SIZE. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface FocalApiProcess {
  url: string;
  pid: number;
  queuePrefix: string;
  logs(): string;
  /** SIGTERM and wait (the API stops its workers on shutdown); SIGKILL after a grace period. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, logs: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new ApiExitedError(`API exited with ${child.exitCode} before it was healthy:\n${logs()}`);
    try {
      const response = await fetch(`${url}/health`);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`API not healthy within ${timeoutMs} ms:\n${logs()}`);
}

/**
 * Starts the real API (`dist/apps/api/src/main.js`) as a child process on a free port, with a queue
 * prefix of its own so that a shared Redis never mixes this run's jobs with anyone else's.
 * A start that dies before it is healthy is retried twice: on a shared checkout another `npm run build`
 * can be rewriting dist/ at that moment (tsc has emitted, tsc-alias has not yet rewritten the imports).
 */
export async function startFocalApi(options: ApiLaunchOptions, attempts = 3): Promise<FocalApiProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (attempt >= attempts || !(error instanceof ApiExitedError)) throw error;
      process.stderr.write(
        `API start failed (attempt ${attempt}/${attempts}), retrying in 3 s: ${error.message.split('\n')[0]}\n`,
      );
      await new Promise((r) => setTimeout(r, 3_000));
    }
  }
}

async function startOnce(options: ApiLaunchOptions): Promise<FocalApiProcess> {
  const port = await freePort();
  const queuePrefix = `focal-bench-${process.pid}-${port}`;
  const child = spawn(process.execPath, [API_ENTRY], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      FOCAL_ENV_FILE: '/nonexistent/.env',
      FOCAL_HOST: '127.0.0.1',
      FOCAL_PORT: String(port),
      FOCAL_REDIS_URL: options.redisUrl,
      FOCAL_QUEUE_PREFIX: queuePrefix,
      FOCAL_LOG_FORMAT: 'json',
      HF_ROOT_FOLDER: options.hfRoot,
      HF_HUB_OFFLINE: 'true',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-LOG_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, () => output, options.timeoutMs ?? 30_000);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  return { url, pid: child.pid as number, queuePrefix, logs: () => output, stop };
}
