import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BytesValue,
  FRAME_CONTENT_TYPE,
  InvalidInputError,
  TensorValue,
  UpstreamError,
  decodeFrame,
  encodeFrame,
} from '@focal/contracts';
import { HttpInferenceClient } from './http-inference.client.js';
import { WorkerUnreachableError } from './worker-unreachable.error.js';

/** A stand-in worker on a real socket: answers /v1/infer with a frame echoing what it received. */
async function frameWorker(handle?: (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void) {
  const seen: Array<{ contentType?: string; accept?: string; images: number[][]; params: unknown }> = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (handle) return handle(req, res, body);
      const request = decodeFrame(body) as { images: BytesValue[]; params: unknown };
      seen.push({
        contentType: req.headers['content-type'],
        accept: req.headers.accept,
        images: request.images.map((image) => Array.from(image.data)),
        params: request.params,
      });
      const answer = { features: new TensorValue(Float32Array.from([0.5, -1, 2, 3]), [1, 2, 2]), n: seen.length };
      res.writeHead(200, { 'content-type': FRAME_CONTENT_TYPE }).end(Buffer.concat(encodeFrame(answer)));
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    seen,
    connections: () => connections,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('HttpInferenceClient', () => {
  let client: HttpInferenceClient;
  beforeEach(() => (client = new HttpInferenceClient()));
  afterEach(() => client.onApplicationShutdown());

  it('sends raw image bytes and params in a frame, and returns the typed arrays of the answer', async () => {
    const worker = await frameWorker();
    try {
      const result = await client.infer(
        worker.endpoint,
        { images: [Buffer.from([1, 2, 3]), Buffer.from([255])], params: { prompts: ['cat'] } },
        5000,
      );
      expect(worker.seen[0]).toEqual({
        contentType: FRAME_CONTENT_TYPE,
        accept: FRAME_CONTENT_TYPE,
        images: [[1, 2, 3], [255]],
        params: { prompts: ['cat'] },
      });
      const features = result.features as TensorValue;
      expect(features).toBeInstanceOf(TensorValue);
      expect(features.shape).toEqual([1, 2, 2]);
      expect(Array.from(features.data)).toEqual([0.5, -1, 2, 3]);
    } finally {
      await worker.close();
    }
  });

  it('keeps one connection alive across sequential calls', async () => {
    const worker = await frameWorker();
    try {
      for (let i = 0; i < 10; i++)
        await client.infer(worker.endpoint, { images: [Buffer.from([i])], params: {} }, 5000);
      expect(worker.seen).toHaveLength(10);
      expect(worker.connections()).toBe(1);
    } finally {
      await worker.close();
    }
  });

  it('resends once on a fresh connection when the worker had closed the idle one', async () => {
    const worker = await frameWorker();
    try {
      await client.infer(worker.endpoint, { images: [Buffer.from([1])], params: {} }, 5000);
      // The server drops its idle keep-alive socket; the client's pooled socket is now dead.
      worker.server.closeIdleConnections();
      await new Promise((r) => setTimeout(r, 50));
      const result = await client.infer(worker.endpoint, { images: [Buffer.from([2])], params: {} }, 5000);
      expect(result.n).toBe(2);
      expect(worker.connections()).toBe(2);
    } finally {
      await worker.close();
    }
  });

  it('maps a worker {detail} error to the same typed error', async () => {
    const worker = await frameWorker((_req, res) =>
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: 'bad prompt' })),
    );
    try {
      const error = await client
        .infer(worker.endpoint, { images: [Buffer.from([1])], params: {} }, 5000)
        .catch((e) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toBe('bad prompt');
    } finally {
      await worker.close();
    }
  });

  it('refuses an answer that is not a well-formed frame with an UpstreamError', async () => {
    const worker = await frameWorker((_req, res) =>
      res.writeHead(200, { 'content-type': FRAME_CONTENT_TYPE }).end(Buffer.from('FCL1\xff\xff\xff\x7f', 'latin1')),
    );
    try {
      const error = await client
        .infer(worker.endpoint, { images: [Buffer.from([1])], params: {} }, 5000)
        .catch((e) => e);
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error).not.toBeInstanceOf(WorkerUnreachableError);
      expect(error.message).toMatch(/malformed frame/);
    } finally {
      await worker.close();
    }
  });

  it('a refused connection is WorkerUnreachableError; a worker that never answers times out as UpstreamError', async () => {
    const worker = await frameWorker(() => undefined);
    const { endpoint } = worker;
    try {
      const slow = await client.infer(endpoint, { images: [Buffer.from([1])], params: {} }, 200).catch((e) => e);
      expect(slow).toBeInstanceOf(UpstreamError);
      expect(slow).not.toBeInstanceOf(WorkerUnreachableError);
      expect(slow.message).toMatch(/timed out/);
    } finally {
      worker.server.closeAllConnections();
      await worker.close();
    }
    const refused = await client.infer(endpoint, { images: [Buffer.from([1])], params: {} }, 5000).catch((e) => e);
    expect(refused).toBeInstanceOf(WorkerUnreachableError);
  });
});
