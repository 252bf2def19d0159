import { startFocalApi, tempCacheDir } from '../support/focal-api.process.js';
import { getJson, makePixels, pngBase64, postJson } from '../support/test-images.js';
import { waitFor } from '../support/expectations.js';

type Schema = { properties?: Record<string, { description?: string; $ref?: string }>; allOf?: Schema[] };

describe('docs, metrics, CORS', () => {
  const cache = tempCacheDir();

  it('serves Swagger UI, ReDoc and an OpenAPI spec that documents every route and every DTO field', async () => {
    const api = await startFocalApi({ HF_ROOT_FOLDER: cache });
    try {
      const docs = await fetch(`${api.url}/docs`);
      expect(docs.status).toBe(200);
      expect(await docs.text()).toMatch(/swagger-ui/i);
      const redoc = await fetch(`${api.url}/redoc`);
      expect(await redoc.text()).toContain('<redoc spec-url="/openapi.json">');
      const bundle = await fetch(`${api.url}/redoc/redoc.standalone.js`);
      expect(bundle.status).toBe(200);
      expect(Number(bundle.headers.get('content-length'))).toBeGreaterThan(100_000);

      const spec = (await getJson(`${api.url}/openapi.json`)).body;
      const paths = Object.keys(spec.paths);
      for (const path of [
        '/',
        '/health',
        '/models/status',
        '/models/load',
        '/models/unload',
        '/models/unload-all',
        '/inference/sam3',
        '/inference/grounding-dino',
        '/inference/depth-anything',
        '/inference/dinov3',
        '/jobs/submit/{model_type}',
        '/jobs/{job_id}',
        '/jobs',
      ]) {
        expect(paths).toContain(path);
      }
      const undocumented: string[] = [];
      for (const [name, schema] of Object.entries(spec.components.schemas as Record<string, Schema>)) {
        for (const [field, property] of Object.entries(schema.properties ?? {})) {
          if (!property.description && !property.$ref) undocumented.push(`${name}.${field}`);
        }
      }
      expect(undocumented).toEqual([]);
    } finally {
      await api.stop();
    }
  });

  it('exposes Prometheus metrics on the API and on each worker, and answers CORS preflights', async () => {
    const api = await startFocalApi({ HF_ROOT_FOLDER: cache, FOCAL_CORS_ORIGINS: 'https://app.example' });
    try {
      const image = await pngBase64(makePixels(20, 20, () => [3, 4, 5]));
      expect((await postJson(`${api.url}/inference/dinov3`, { images: [image] })).status).toBe(200);
      const metrics = (await getJson(`${api.url}/metrics`)).body as string;
      expect(metrics).toMatch(
        /focal_http_requests_total\{[^}]*route="\/inference\/dinov3",status="200",model="dinov3"[^}]*\} 1/,
      );
      expect(metrics).toMatch(/focal_http_request_duration_seconds_bucket\{[^}]*route="\/inference\/dinov3"/);
      expect(metrics).toMatch(/focal_job_queue_depth\{status="queued"[^}]*\} 0/);

      const ready = api
        .logs()
        .split('\n')
        .find((line) => line.includes('"worker ready"'));
      const endpoint = JSON.parse(ready as string).message.endpoint as string;
      const workerMetrics = await (await fetch(`${endpoint}/metrics`)).text();
      expect(workerMetrics).toMatch(/focal_worker_batch_size_count\{[^}]*graph="model"[^}]*\} [1-9]/);
      expect(workerMetrics).toMatch(/focal_worker_model_load_seconds\{[^}]*model="dinov3"[^}]*\} [\d.]+/);
      expect(workerMetrics).toMatch(/focal_worker_infer_seconds_count\{[^}]*model="dinov3"[^}]*\} [1-9]/);

      const preflight = await fetch(`${api.url}/inference/dinov3`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
      const other = await fetch(`${api.url}/health`, { headers: { origin: 'https://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await api.stop();
    }
  });
});

describe('API keys', () => {
  it('needs an admin key for /models/*, an inference key for /inference/* and /jobs/*, and leaves health open', async () => {
    const api = await startFocalApi({ FOCAL_API_KEYS: 'admin:admin-key-123,inference:client-key-456' });
    const admin = { authorization: 'Bearer admin-key-123' };
    const client = { 'x-api-key': 'client-key-456' };
    try {
      expect((await getJson(`${api.url}/health`)).status).toBe(200);
      // The other open routes the README lists: the root, metrics and the docs.
      for (const open of ['/', '/metrics', '/openapi.json', '/docs']) {
        expect({ open, status: (await getJson(`${api.url}${open}`)).status }).toEqual({ open, status: 200 });
      }
      const anonymous = await getJson(`${api.url}/models/status`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.detail).toMatch(/API key required/);
      expect((await getJson(`${api.url}/models/status`, { authorization: 'Bearer wrong-key-000' })).status).toBe(401);
      const weak = await getJson(`${api.url}/models/status`, client);
      expect(weak.status).toBe(403);
      expect(weak.body.detail).toMatch(/admin/);
      expect((await getJson(`${api.url}/models/status`, admin)).status).toBe(200);

      const image = await pngBase64(makePixels(16, 16, () => [8, 8, 8]));
      expect((await postJson(`${api.url}/inference/dinov3`, { images: [image] })).status).toBe(401);
      expect((await postJson(`${api.url}/inference/dinov3`, { images: [image] }, client)).status).toBe(200);
      expect((await postJson(`${api.url}/inference/dinov3`, { images: [image] }, admin)).status).toBe(200);
      expect((await getJson(`${api.url}/jobs`)).status).toBe(401);
      expect((await getJson(`${api.url}/jobs`, client)).status).toBe(200);
    } finally {
      await api.stop();
    }
  });

  it('refuses to start with a malformed key list, naming the variable', async () => {
    await expect(startFocalApi({ FOCAL_API_KEYS: 'root:short' }, 10_000)).rejects.toThrow(
      /FOCAL_API_KEYS entries must look like/,
    );
  });
});

describe('startup options', () => {
  it('preloads the configured models without any request', async () => {
    const api = await startFocalApi({ FOCAL_PRELOAD: 'dinov3,depth-anything' });
    try {
      const status = await waitFor(async () => {
        const body = (await getJson(`${api.url}/models/status`)).body;
        return body.dinov3.state === 'ready' && body.depth_anything.state === 'ready' ? body : undefined;
      });
      expect(status.sam3.state).toBe('unloaded');
      expect(status.dinov3).toMatchObject({ model_id: 'demo', demo: true, replicas: 1, ready_replicas: 1 });
      expect((await getJson(`${api.url}/health`)).body.loaded_models.sort()).toEqual(['depth_anything', 'dinov3']);
    } finally {
      await api.stop();
    }
  });

  it('with auto-load off, answers 404 until the model is loaded explicitly', async () => {
    const api = await startFocalApi({ FOCAL_AUTO_LOAD: 'false' });
    try {
      const image = await pngBase64(makePixels(16, 16, () => [8, 8, 8]));
      const before = await postJson(`${api.url}/inference/depth-anything`, { images: [image] });
      expect(before.status).toBe(404);
      expect(before.body.detail).toMatch(/Model depth_anything not loaded/);
      const accepted = await postJson(`${api.url}/models/load`, { model_type: 'depth_anything', wait: false });
      expect(accepted.status).toBe(202);
      expect(accepted.body).toMatchObject({ status: 'loading', state: 'loading' });
      await waitFor(async () =>
        (await getJson(`${api.url}/models/status`)).body.depth_anything.state === 'ready' ? true : undefined,
      );
      expect((await postJson(`${api.url}/inference/depth-anything`, { images: [image] })).status).toBe(200);
    } finally {
      await api.stop();
    }
  });
});
