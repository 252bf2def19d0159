import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../support/focal-api.process.js';

const WORKER_ENTRY = resolve('dist/apps/inference/src/main.js');

export interface InferenceWorker {
  url: string;
  logs(): string;
  stop(): Promise<void>;
}

/**
 * A real inference worker (`npm run build` first) standing in for a model pod: in these tests every
 * ModelDeployment's Service URL points at it. It serves the generated DINOv3 demo model.
 */
export async function startInferenceWorker(timeoutMs = 60_000): Promise<InferenceWorker> {
  const port = await freePort();
  const cache = mkdtempSync(join(tmpdir(), 'focal-k8s-worker-'));
  const child: ChildProcess = spawn(process.execPath, [WORKER_ENTRY], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      FOCAL_MODEL_TYPE: 'dinov3',
      FOCAL_MODEL_ID: 'demo',
      FOCAL_DEVICE: 'cpu',
      FOCAL_HOST: '127.0.0.1',
      FOCAL_INFERENCE_PORT: String(port),
      FOCAL_EXIT_WITH_PARENT: 'false',
      FOCAL_LOG_FORMAT: 'json',
      HF_ROOT_FOLDER: cache,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(cache, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`inference worker exited with ${child.exitCode}:\n${output}`);
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) return { url, logs: () => output, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`inference worker not ready within ${timeoutMs} ms:\n${output}`);
}
