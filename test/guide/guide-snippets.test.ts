import { createServer, Server } from 'node:http';
import sharp from 'sharp';
import { DEMO_MODELS, DEMO_MODELS_VERSION } from '@focal/demo-models';
import {
  FakeHub,
  TwoToneImage,
  dinov3DemoPatchToken,
  groundingDinoDemoExpectation,
  unmatchedGroundingDinoBoxes,
  sam3DemoExpectation,
  twoToneMaskMismatches,
  twoTonePixels,
} from '@focal/testing';
import { FocalApi, startFocalApi } from '../support/focal-api.process.js';
import { makePixels, pngBase64 } from '../support/test-images.js';

/**
 * "image.jpg" is a black | yellow two-tone photo (JPEG at quality 100 without chroma subsampling): the demo models'
 * closed forms then say what every snippet must print, so each one checks values, not just shapes.
 */
const TONE: TwoToneImage = { width: 96, height: 64, left: [0, 0, 0], right: [255, 255, 0] };

/** SAM3's expected detections for one prompt of `words` words; JPEG moves scores in the third decimal. */
function expectSam3Detections(detections: any[], prompt: string, words: number, threshold: number) {
  const expected = sam3DemoExpectation(TONE, words, threshold);
  const own = detections.filter((d) => d.prompt === prompt);
  expect(expected.length).toBeGreaterThan(0);
  expect(own).toHaveLength(expected.length);
  own.forEach((d, k) => expect(d.score).toBeCloseTo(expected[k].score, 2));
  return { own, expected };
}

const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i])));

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
    const jpeg = await sharp(twoTonePixels(TONE), { raw: { width: TONE.width, height: TONE.height, channels: 3 } })
      .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
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
    // print(f"Processing time: {result['processing_time']}s") and print(f"Results: {len(...)} detections")
    expect(result['processing_time']).toBeGreaterThan(0);
    for (const prompt of ['person', 'car']) {
      const { own, expected } = expectSam3Detections(result['results'][0], prompt, 1, 0.5);
      own.forEach((detection, k) => {
        expect(detection.mask).toHaveLength(64);
        expect(detection.mask[0]).toHaveLength(96);
        expect(twoToneMaskMismatches(detection.mask.flat(), TONE, expected[k].covers)).toBe(0);
      });
    }

    const byUrl = await post(`${BASE()}/inference/sam3`, {
      images: [{ data: imageUrl, format: 'url' }],
      prompts: ['object'],
      threshold: 0.6,
      output_format: 'polygons',
    });
    const { own, expected } = expectSam3Detections(byUrl.results[0], 'object', 1, 0.6);
    own.forEach((detection, k) => {
      const { left, right } = expected[k].covers;
      if (!left && !right) return expect(detection.mask).toEqual([]);
      const xs = detection.mask.flat().filter((_: number, i: number) => i % 2 === 0);
      expect(Math.min(...xs)).toBeCloseTo(left ? 0 : 48, -0.5);
      expect(Math.max(...xs)).toBeCloseTo(right ? 96 : 48, -0.5);
    });
    expect(expected.some((e) => e.covers.left || e.covers.right)).toBe(true);
  });

  it('4. Grounding DINO', async () => {
    const prompts = ['person', 'car', 'traffic light'];
    const result = await post(`${BASE()}/inference/grounding-dino`, {
      images: [image_base64],
      prompts,
      box_threshold: 0.4,
      text_threshold: 0.3,
    });
    // The mean colour of the image: the left half black, the right half yellow.
    const channelMeans = [0, 1, 2].map((c) => (TONE.left[c] + TONE.right[c]) / 2) as [number, number, number];
    const expected = groundingDinoDemoExpectation({
      ...TONE,
      channelMeans,
      prompts,
      boxThreshold: 0.4,
      textThreshold: 0.3,
    });
    const boxes = result['results'][0]['boxes'];
    expect(expected.length).toBeGreaterThan(0);
    expect(boxes).toHaveLength(expected.length);
    // print(f"Box: {detection['box']}, Score: {detection['score']}") for each: every printed box is an expected one.
    expect(unmatchedGroundingDinoBoxes(expected, boxes, 0.01, 0.005)).toEqual([]);
    expect(new Set(boxes.map((b: any) => b.label))).toEqual(new Set(prompts));
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
    // Demo depth is the mean normalised channel: the yellow half is deeper (65535), the black half nearest (0).
    const { data } = await sharp(depth_bytes)
      .toColourspace('grey16')
      .raw({ depth: 'ushort' })
      .toBuffer({ resolveWithObject: true });
    const depth = new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
    const at = (x: number, y: number) => depth[y * 96 + x];
    expect([at(10, 10), at(40, 50)].every((v) => v < 500)).toBe(true);
    expect([at(60, 10), at(90, 50)].every((v) => v > 65035)).toBe(true);
    expect(Buffer.from(result.glb_data, 'base64').subarray(0, 4).toString()).toBe('glTF');
  });

  it('6. DINOv3 features as nested lists', async () => {
    const result = await post(`${BASE()}/inference/dinov3`, { images: [image_base64] });
    const features = result['features']['last_hidden_state'];
    const pooled = result['features']['pooler_output'];
    expect([features.length, features[0].length, features[0][0].length]).toEqual([1, 201, 32]);
    expect([pooled.length, pooled[0].length]).toEqual([1, 32]);
    // 224² input, 14×14 patches after CLS and 4 registers; the split falls between patch columns 6 and 7.
    const patch = (row: number, column: number) => features[0][5 + row * 14 + column];
    expect(maxDiff(patch(3, 2), dinov3DemoPatchToken(TONE.left))).toBeLessThan(0.05);
    expect(maxDiff(patch(10, 12), dinov3DemoPatchToken(TONE.right))).toBeLessThan(0.05);
    const mean = pooled[0].map(
      (_: number, d: number) => features[0].slice(5).reduce((s: number, t: number[]) => s + t[d], 0) / 196,
    );
    expect(maxDiff(pooled[0], mean)).toBeLessThan(1e-4);
    expect(maxDiff(features[0][0], pooled[0])).toBeLessThan(1e-5);
  });

  it('7. batch processing', async () => {
    const images = [image_base64, await pngBase64(makePixels(50, 50, () => [0, 0, 0])), image_base64];
    const result = await post(`${BASE()}/inference/sam3`, { images, prompts: ['object'], threshold: 0.5 });
    // print(f"Processed {len(result['results'])} images in {result['processing_time']}s")
    expect(result['results']).toHaveLength(3);
    expect(result['processing_time']).toBeGreaterThan(0);
    expectSam3Detections(result['results'][0], 'object', 1, 0.5);
    expect(result['results'][2].map((d: any) => d.score)).toEqual(result['results'][0].map((d: any) => d.score));
    const black = sam3DemoExpectation({ width: 50, height: 50, left: [0, 0, 0], right: [0, 0, 0] }, 1, 0.5);
    expect(result['results'][1].map((d: any) => d.score)).toEqual(black.map((e) => expect.closeTo(e.score, 4)));
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
    for (const prompt of ['person', 'car']) expectSam3Detections(status['result'].results[0], prompt, 1, 0.5);
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
