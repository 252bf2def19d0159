import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const API_ENTRY = resolve('dist/apps/api/src/main.js');

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** Redis for tests: CI starts one on a private port and exports FOCAL_TEST_REDIS_URL. */
export function testRedisUrl(): string {
  return process.env.FOCAL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A cache folder shared by a test file's API processes, so demo models are generated once. */
export function tempCacheDir(): string {
  return mkdtempSync(join(tmpdir(), 'focal-test-cache-'));
}

export interface FocalApi {
  url: string;
  port: number;
  process: ChildProcess;
  logs(): string;
  /** SIGTERM and wait: a graceful shutdown stops the workers too. */
  stop(): Promise<void>;
  /** SIGKILL: a crash, as far as Redis and the workers can tell. */
  kill(): Promise<void>;
}

/**
 * Starts the compiled API (`npm run build` first) as a real child process on a free port, with its
 * own queue prefix so concurrent or earlier runs sharing a Redis never see each other's jobs.
 */
export async function startFocalApi(env: Record<string, string> = {}, timeoutMs = 30_000): Promise<FocalApi> {
  const port = Number(env.FOCAL_PORT ?? (await freePort()));
  const child = spawn(process.execPath, [API_ENTRY], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      FOCAL_ENV_FILE: '/nonexistent/.env',
      FOCAL_HOST: '127.0.0.1',
      FOCAL_PORT: String(port),
      FOCAL_REDIS_URL: testRedisUrl(),
      FOCAL_QUEUE_PREFIX: `focal-test-${process.pid}-${port}`,
      FOCAL_LOG_FORMAT: 'json',
      HF_ROOT_FOLDER: env.HF_ROOT_FOLDER ?? tempCacheDir(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, () => output, timeoutMs);
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return {
    url,
    port,
    process: child,
    logs: () => output,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
  };
}

async function waitForHealth(url: string, child: ChildProcess, logs: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode} before it was healthy:\n${logs()}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`API not healthy within ${timeoutMs} ms:\n${logs()}`);
}
