import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { API_NODE_FLAGS } from './api-node-flags.js';

/** The compiled API, as `npm run start:api` runs it (so `npm run build` comes first). */
const API_ENTRY = resolve('dist/apps/api/src/main.js');
const LOG_TAIL_CHARS = 65_536;

/** The API process ended before answering /health (bad config, or a dist/ being rebuilt underneath). */
export class ApiExitedError extends Error {}

export function freePort(): Promise<number> {
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

/** node's arguments for the API: its flags, then the entry. */
export function apiArguments(nodeFlags: readonly string[] = API_NODE_FLAGS): string[] {
  return [...nodeFlags, API_ENTRY];
}

export interface FocalApiLaunch {
  redisUrl: string;
  /** FOCAL_* and HF_* variables; FOCAL_PORT and FOCAL_QUEUE_PREFIX may be fixed here too. */
  env?: Record<string, string>;
  /** Names the queue prefix, e.g. "test" or "bench". */
  label?: string;
  timeoutMs?: number;
  /** Starts that die before they are healthy are retried this many times in all. */
  attempts?: number;
  /** Node/V8 flags before the entry; API_NODE_FLAGS (what every start point of the API uses) unless given. */
  nodeFlags?: readonly string[];
}

export interface FocalApi {
  url: string;
  port: number;
  pid: number;
  process: ChildProcess;
  queuePrefix: string;
  logs(): string;
  /** SIGTERM and wait: a graceful shutdown stops the workers too (SIGKILL after 15 s). */
  stop(): Promise<void>;
  /** SIGKILL: a crash, as far as Redis and the workers can tell. */
  kill(): Promise<void>;
}

/**
 * Starts the real API as a child process on a free port, with a queue prefix of its own so that a shared
 * Redis never mixes one run's jobs with another's, and waits until /health answers.
 */
export async function launchFocalApi(launch: FocalApiLaunch): Promise<FocalApi> {
  const attempts = launch.attempts ?? 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(launch);
    } catch (error) {
      if (attempt >= attempts || !(error instanceof ApiExitedError)) throw error;
      await new Promise((r) => setTimeout(r, 3_000));
    }
  }
}

async function startOnce(launch: FocalApiLaunch): Promise<FocalApi> {
  const port = Number(launch.env?.FOCAL_PORT ?? (await freePort()));
  const queuePrefix = launch.env?.FOCAL_QUEUE_PREFIX ?? `focal-${launch.label ?? 'test'}-${process.pid}-${port}`;
  const child = spawn(process.execPath, apiArguments(launch.nodeFlags), {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      FOCAL_ENV_FILE: '/nonexistent/.env',
      FOCAL_HOST: '127.0.0.1',
      FOCAL_REDIS_URL: launch.redisUrl,
      FOCAL_LOG_FORMAT: 'json',
      ...launch.env,
      FOCAL_PORT: String(port),
      FOCAL_QUEUE_PREFIX: queuePrefix,
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
  await waitForHealth(url, child, () => output, launch.timeoutMs ?? 30_000);
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(sig);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  return {
    url,
    port,
    pid: child.pid as number,
    process: child,
    queuePrefix,
    logs: () => output,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
  };
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
