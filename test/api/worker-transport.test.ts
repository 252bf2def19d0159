import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { BytesValue, FRAME_CONTENT_TYPE, TensorValue, decodeFrame, encodeFrame } from '@focal/contracts';
import { freePort, tempCacheDir } from '../support/focal-api.process.js';
import { makePixels, pngBase64 } from '../support/test-images.js';

/** The real inference worker (dist build), started on its own as a Kubernetes pod runs it. */
async function startWorker(modelType: string): Promise<{ url: string; process: ChildProcess; logs: () => string }> {
  const port = await freePort();
  let logs = '';
  const child = spawn(process.execPath, [join(process.cwd(), 'dist/apps/inference/src/main.js')], {
    env: {
      ...process.env,
      FOCAL_MODEL_TYPE: modelType,
      FOCAL_INFERENCE_PORT: String(port),
      FOCAL_HOST: '127.0.0.1',
      HF_ROOT_FOLDER: tempCacheDir(),
      FOCAL_EXIT_WITH_PARENT: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => (logs += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (logs += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { url, process: child, logs: () => logs };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`worker did not become ready:\n${logs.slice(-2000)}`);
}

async function postFrame(url: string, value: unknown) {
  const response = await fetch(`${url}/v1/infer`, {
    method: 'POST',
    headers: { 'content-type': FRAME_CONTENT_TYPE, accept: FRAME_CONTENT_TYPE },
    body: Buffer.concat(encodeFrame(value)),
  });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: Buffer.from(await response.arrayBuffer()),
  };
}

describe('API ↔ worker transport: frames on the real worker', () => {
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let png: Buffer;

  beforeAll(async () => {
    worker = await startWorker('dinov3');
    png = Buffer.from(await pngBase64(makePixels(64, 48, (x, y) => [x * 4, y * 5, 128])), 'base64');
  }, 120_000);
  afterAll(() => worker?.process.kill('SIGTERM'));

  it('takes raw image bytes and answers a frame whose tensors equal its JSON answer', async () => {
    const framed = await postFrame(worker.url, { images: [new BytesValue(png), new BytesValue(png)], params: {} });
    expect(framed.status).toBe(200);
    expect(framed.type).toBe(FRAME_CONTENT_TYPE);
    const result = decodeFrame(framed.body) as {
      features: { last_hidden_state: TensorValue; pooler_output: TensorValue };
    };
    const hidden = result.features.last_hidden_state;
    expect(hidden).toBeInstanceOf(TensorValue);
    expect(hidden.dtype).toBe('float32');
    expect(hidden.shape[0]).toBe(2);

    const json = await fetch(`${worker.url}/v1/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ images: [png.toString('base64'), png.toString('base64')], params: {} }),
    }).then((r) => r.json() as Promise<any>);
    expect(hidden.toJSON()).toEqual(json.features.last_hidden_state);
    expect(result.features.pooler_output.toJSON()).toEqual(json.features.pooler_output);
    // The frame carries the numbers as 4 bytes each, not as text.
    expect(framed.body.length).toBeLessThan(hidden.data.length * 4 + 4096);
  });

  it('answers a malformed frame or a bad image with a 400 {detail}', async () => {
    const broken = await fetch(`${worker.url}/v1/infer`, {
      method: 'POST',
      headers: { 'content-type': FRAME_CONTENT_TYPE },
      body: Buffer.from('FCL1 not really a frame'),
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { detail: string }).detail).toMatch(/malformed frame/);

    const notImage = await postFrame(worker.url, { images: [new BytesValue(Buffer.from('text'))], params: {} });
    expect(notImage.status).toBe(400);
    expect(JSON.parse(notImage.body.toString()).detail).toBeTruthy();

    const noImages = await postFrame(worker.url, { images: [], params: {} });
    expect(noImages.status).toBe(400);
    expect(JSON.parse(noImages.body.toString()).detail).toBe('images must be a non-empty list');
  });
});
