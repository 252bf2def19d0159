import { createServer, Server } from 'node:http';
import sharp from 'sharp';
import { DEMO_MODELS, DEMO_MODELS_VERSION } from '@focal/demo-models';
import { FakeHub } from '@focal/testing';
import { FocalApi, startFocalApi } from '../support/focal-api.process.js';
import { makePixels, pngBase64 } from '../support/test-images.js';

/**
 * A TypeScript port of every client snippet in the API guide (reference/vision-models-api-guide.md),
 * kept as close to the Python as the language allows: same URLs, same bodies, same fields read.
 * `requests.post(...).json()` becomes `post(...)`; `print` becomes an assertion on what was printed.
 */
describe('the API guide, snippet by snippet', () => {
  let api: FocalApi;
  let hub: FakeHub;
  let imageServer: Server;
  let imageUrl: string;
  let image_base64: string;
  const BASE = () => api.url.replace('127.0.0.1', 'localhost');

  const get = async (url: string) => (await fetch(url)).json() as Promise<any>;
  const post = async (url: string, json: unknown) =>
    (
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) })
    ).json() as Promise<any>;

  beforeAll(async () => {
    // Snippet 9 loads "IDEA-Research/grounding-dino-tiny": a hub stand-in serves its ONNX export (demo weights).
    hub = await FakeHub.start();
    const demo = DEMO_MODELS.grounding_dino;
    hub.addRepo('onnx-community/grounding-dino-tiny-ONNX', {
      files: {
        ...Object.fromEntries(Object.entries(demo.files()).map(([path, content]) => [path, Buffer.from(content)])),
        'focal-model.json': JSON.stringify({ ...demo.manifest, demo_version: DEMO_MODELS_VERSION }),
      },
    });
    const jpeg = await sharp(makePixels(96, 64, (x, y) => [x * 2, y * 3, 120]).data, {
      raw: { width: 96, height: 64, channels: 3 },
    })
      .jpeg()
      .toBuffer();
    imageServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg));
    await new Promise<void>((resolve) => imageServer.listen(0, '127.0.0.1', resolve));
    imageUrl = `http://127.0.0.1:${(imageServer.address() as { port: number }).port}/image.jpg`;
    // "image.jpg": any photo; here a generated one, read as base64 exactly as the guide does.
    image_base64 = jpeg.toString('base64');
    api = await startFocalApi({ HF_ENDPOINT: hub.url, FOCAL_ALLOW_PRIVATE_URLS: 'true' });
  });

  afterAll(async () => {
    await api?.stop();
    await hub?.stop();
    imageServer?.close();
  });

  it('1. health check', async () => {
    const response = await get(`${BASE()}/health`);
    expect(response).toMatchObject({ status: 'healthy', loaded_models: expect.any(Array) });
    expect(typeof response.available_memory_gb).toBe('number');
    expect(typeof response.gpu_available).toBe('boolean');
  });

  it('2. load a model', async () => {
    const response = await post(`${BASE()}/models/load`, { model_type: 'sam3', device: 'cuda' });
    expect(response.model_type).toBe('sam3');
    expect(response.state).toBe('ready');
  });

  it('3. SAM3 with base64 images, then with image URLs', async () => {
    const result = await post(`${BASE()}/inference/sam3`, {
      images: [image_base64],
      prompts: ['person', 'car'],
      threshold: 0.5,
      output_format: 'dense',
    });
    expect(`Processing time: ${result['processing_time']}s`).toMatch(/^Processing time: [\d.e-]+s$/);
    expect(`Results: ${result['results'][0].length} detections`).toMatch(/^Results: \d+ detections$/);
    for (const detection of result['results'][0]) {
      expect(['person', 'car']).toContain(detection.prompt);
      expect(detection.mask).toHaveLength(64);
      expect(detection.mask[0]).toHaveLength(96);
    }

    const byUrl = await post(`${BASE()}/inference/sam3`, {
      images: [{ data: imageUrl, format: 'url' }],
      prompts: ['object'],
      threshold: 0.6,
      output_format: 'polygons',
    });
    expect(Array.isArray(byUrl.results[0])).toBe(true);
    for (const detection of byUrl.results[0]) expect(Array.isArray(detection.mask)).toBe(true);
  });

  it('4. Grounding DINO', async () => {
    const result = await post(`${BASE()}/inference/grounding-dino`, {
      images: [image_base64],
      prompts: ['person', 'car', 'traffic light'],
      box_threshold: 0.4,
      text_threshold: 0.3,
    });
    for (const detection of result['results'][0]['boxes']) {
      expect(`Box: ${JSON.stringify(detection)}, Score: ${detection['score']}`).toContain('Score: ');
      expect(['person', 'car', 'traffic light']).toContain(detection.label);
      expect(detection.box).toHaveLength(4);
    }
    expect(Array.isArray(result['results'][0]['boxes'])).toBe(true);
  });

  it('5. Depth Anything: the PNG opens and metadata.shape is [H, W]', async () => {
    const result = await post(`${BASE()}/inference/depth-anything`, { images: [image_base64], export_format: 'glb' });
    const depth_bytes = Buffer.from(result['depth_data'], 'base64');
    const depth_image = await sharp(depth_bytes).metadata();
    expect([depth_image.format, depth_image.width, depth_image.height, depth_image.depth]).toEqual([
      'png',
      96,
      64,
      'ushort',
    ]);
    expect(result['metadata']['shape']).toEqual([64, 96]);
    expect(Buffer.from(result.glb_data, 'base64').subarray(0, 4).toString()).toBe('glTF');
  });

  it('6. DINOv3 features as nested lists', async () => {
    const result = await post(`${BASE()}/inference/dinov3`, { images: [image_base64] });
    const features = result['features']['last_hidden_state'];
    const pooled = result['features']['pooler_output'];
    expect([features.length, features[0].length, features[0][0].length]).toEqual([1, 201, 32]);
    expect([pooled.length, pooled[0].length]).toEqual([1, 32]);
  });

  it('7. batch processing', async () => {
    const images = [image_base64, await pngBase64(makePixels(50, 50, () => [1, 2, 3])), image_base64];
    const result = await post(`${BASE()}/inference/sam3`, { images, prompts: ['object'], threshold: 0.5 });
    expect(`Processed ${result['results'].length} images in ${result['processing_time']}s`).toMatch(
      /^Processed 3 images in/,
    );
  });

  it('8. async jobs: submit and poll until completed', async () => {
    const job = await post(`${BASE()}/jobs/submit/sam3`, {
      images: [image_base64],
      prompts: ['person', 'car'],
      threshold: 0.5,
    });
    const job_id = job['job_id'];
    let status: any;
    // The guide's loop has no deadline; the test gives it one so a lost job fails instead of hanging.
    const deadline = Date.now() + 60_000;
    for (;;) {
      status = await get(`${BASE()}/jobs/${job_id}`);
      if (['completed', 'failed'].includes(status['status'])) break;
      if (Date.now() > deadline) throw new Error(`job ${job_id} still ${status['status']} after 60 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status['status']).toBe('completed');
    expect(Array.isArray(status['result'].results[0])).toBe(true);
  });

  it('9. model management with a specific variant', async () => {
    await post(`${BASE()}/models/load`, {
      model_type: 'grounding_dino',
      model_id: 'IDEA-Research/grounding-dino-tiny',
      device: 'cuda',
    });
    const response = await get(`${BASE()}/models/status`);
    expect(response.grounding_dino).toMatchObject({ state: 'ready', model_id: 'IDEA-Research/grounding-dino-tiny' });
    await post(`${BASE()}/models/unload`, { model_type: 'grounding_dino' });
    expect((await get(`${BASE()}/models/status`)).grounding_dino.state).toBe('unloaded');
  });

  it('error handling: {"detail": ...} for a model that is not loaded with auto-load off', async () => {
    const strict = await startFocalApi({ FOCAL_AUTO_LOAD: 'false' });
    try {
      const response = await fetch(`${strict.url}/inference/sam3`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ images: [image_base64], prompts: ['person'] }),
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ detail: expect.stringMatching(/^Model sam3 not loaded/) });
    } finally {
      await strict.stop();
    }
  });
});
