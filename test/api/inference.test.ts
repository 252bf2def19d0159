import sharp from 'sharp';
import { childPids } from '@focal/testing';
import { DEPTH_DEMO, dinov3DemoReference, depthDemoReference } from '@focal/demo-models';
import { FocalApi, startFocalApi } from '../support/focal-api.process.js';
import { RgbPixels, getJson, makePixels, pngBase64, postJson, seededRandom } from '../support/test-images.js';
import { imagenetChw, maxAbsDiff, waitFor } from '../support/expectations.js';

function randomPixels(width: number, height: number, seed: number): RgbPixels {
  const random = seededRandom(seed);
  return makePixels(
    width,
    height,
    () => [random() * 256, random() * 256, random() * 256].map(Math.floor) as [number, number, number],
  );
}

/** Decodes with sharp (libpng), not the library that encoded it, and reports what the file declares. */
async function decodePng16(base64: string) {
  const png = Buffer.from(base64, 'base64');
  const meta = await sharp(png).metadata();
  const { data } = await sharp(png)
    .toColourspace('grey16')
    .raw({ depth: 'ushort' })
    .toBuffer({ resolveWithObject: true });
  const info = { width: meta.width, height: meta.height, channels: meta.channels, depth: meta.depth };
  return { values: new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2), info };
}

describe('inference through the API with local workers (demo models)', () => {
  let api: FocalApi;

  beforeAll(async () => {
    api = await startFocalApi({
      FOCAL_MAX_IMAGES: '3',
      FOCAL_MAX_IMAGE_PIXELS: '300000',
      FOCAL_MAX_IMAGE_BYTES: '2000000',
    });
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('auto-loads DINOv3 once for concurrent first requests and answers with the closed-form features', async () => {
    const pixels = randomPixels(224, 224, 1);
    const image = await pngBase64(pixels);
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => postJson(`${api.url}/inference/dinov3`, { images: [image] })),
    );
    for (const response of responses) expect(response.status).toBe(200);
    const metrics = (await getJson(`${api.url}/metrics`)).body as string;
    expect(metrics).toMatch(/focal_model_load_seconds_count\{[^}]*model="dinov3",outcome="ready"\} 1\n/);
    expect(childPids(api.process.pid as number)).toHaveLength(1);

    const expected = dinov3DemoReference(imagenetChw(pixels), 224, 224);
    const { features, processing_time } = responses[0].body;
    expect(typeof processing_time).toBe('number');
    expect(processing_time).toBeGreaterThan(0);
    expect(features.last_hidden_state).toHaveLength(1);
    expect(features.last_hidden_state[0]).toHaveLength(1 + 4 + 14 * 14);
    expect(maxAbsDiff(features.last_hidden_state[0].flat(), expected.lastHiddenState.flat())).toBeLessThan(1e-4);
    expect(maxAbsDiff(features.pooler_output[0], expected.poolerOutput)).toBeLessThan(1e-4);
  });

  it('resizes any image to 224×224 for DINOv3: a uniform image gives identical patch tokens', async () => {
    const color: [number, number, number] = [200, 30, 90];
    const pixels = makePixels(97, 41, () => color);
    const response = await postJson(`${api.url}/inference/dinov3`, {
      images: [await pngBase64(pixels), `data:image/png;base64,${await pngBase64(pixels)}`],
    });
    expect(response.status).toBe(200);
    const uniform = imagenetChw(makePixels(224, 224, () => color));
    const expected = dinov3DemoReference(uniform, 224, 224);
    expect(response.body.features.last_hidden_state).toHaveLength(2);
    for (const tokens of response.body.features.last_hidden_state) {
      expect(maxAbsDiff(tokens.flat(), expected.lastHiddenState.flat())).toBeLessThan(1e-4);
    }
  });

  it('returns the Depth Anything map as a 16-bit PNG at the original size, min-max normalised, to the pixel', async () => {
    const pixels = randomPixels(518, 518, 2);
    const response = await postJson(`${api.url}/inference/depth-anything`, { images: [await pngBase64(pixels)] });
    expect(response.status).toBe(200);
    const { depth_data, metadata, results } = response.body;
    expect(metadata.shape).toEqual([518, 518]);
    expect(results).toHaveLength(1);
    expect(results[0].depth_data).toBe(depth_data);
    // Several 64 KiB chunks of base64, so the PNG also checks the blocks the API streams it in (jsonChunks).
    expect(depth_data.length).toBeGreaterThan(4 * 64 * 1024);

    const depth = depthDemoReference(imagenetChw(pixels), 518, 518);
    const min = depth.reduce((a, b) => Math.min(a, b));
    const max = depth.reduce((a, b) => Math.max(a, b));
    expect(metadata.min).toBeCloseTo(min, 4);
    expect(metadata.max).toBeCloseTo(max, 4);
    const { values, info } = await decodePng16(depth_data);
    expect(info).toEqual({ width: 518, height: 518, channels: 1, depth: 'ushort' });
    const expected = Array.from(depth, (v) => Math.round(((v - min) / (max - min)) * 65535));
    expect(maxAbsDiff(values, expected)).toBeLessThanOrEqual(1);
  });

  it('maps depth back to each original size, for several images in one request', async () => {
    const wide = makePixels(120, 40, (x) => [x * 2, 100, 50]);
    const tall = makePixels(30, 90, (_x, y) => [10, y * 2, 200]);
    const response = await postJson(`${api.url}/inference/depth_anything`, {
      images: [await pngBase64(wide), { data: await pngBase64(tall), format: 'base64' }],
      export_format: 'npy',
    });
    expect(response.status).toBe(200);
    expect(response.body.results.map((r: { metadata: { shape: number[] } }) => r.metadata.shape)).toEqual([
      [40, 120],
      [90, 30],
    ]);
    const npy = Buffer.from(response.body.results[1].npy_data, 'base64');
    expect(npy.subarray(1, 6).toString()).toBe('NUMPY');
    expect(npy.toString('latin1')).toContain("'shape': (90, 30)");
    // A horizontal gradient image gives depth increasing along x: the demo depth is a channel mean.
    const first = await decodePng16(response.body.depth_data);
    expect(first.values[40 * 60 + 119]).toBeGreaterThan(first.values[40 * 60]);
    expect(DEPTH_DEMO.offset).toBeGreaterThan(0);
  });

  it('exports a GLB point cloud when asked, still with the PNG the guide reads', async () => {
    const pixels = makePixels(64, 48, (x, y) => [x * 4, y * 5, 128]);
    const response = await postJson(`${api.url}/inference/depth-anything`, {
      images: [await pngBase64(pixels)],
      export_format: 'glb',
    });
    expect(response.status).toBe(200);
    const glb = Buffer.from(response.body.glb_data, 'base64');
    expect(glb.subarray(0, 4).toString()).toBe('glTF');
    expect(glb.readUInt32LE(8)).toBe(glb.length);
    expect(response.body.metadata.glb.intrinsicsSource).toBe('assumed_fov');
    expect(response.body.depth_data.length).toBeGreaterThan(0);
  });

  it('refuses bad input with a 4xx and {"detail"}', async () => {
    const good = await pngBase64(makePixels(8, 8, () => [1, 2, 3]));
    const cases: Array<[string, unknown, number, RegExp]> = [
      ['/inference/dinov3', { images: ['not base64!!'] }, 400, /not valid base64/],
      [
        '/inference/dinov3',
        { images: [Buffer.from('plain text, not an image').toString('base64')] },
        400,
        /not a supported image/,
      ],
      ['/inference/dinov3', { images: [good, good, good, good] }, 400, /too many images/],
      ['/inference/dinov3', { images: [] }, 400, /images must be a non-empty list/],
      ['/inference/dinov3', {}, 400, /images/],
      ['/inference/dinov3', { images: [{ data: good, format: 'ftp' }] }, 400, /images/],
      ['/inference/depth-anything', { images: [good], export_format: 'tiff' }, 400, /export_format/],
      ['/inference/sam3', { images: [good], prompts: [] }, 400, /prompts/],
      ['/inference/sam3', { images: [good], prompts: ['cat'], threshold: 2 }, 400, /threshold/],
      ['/inference/grounding-dino', { images: [good], prompts: ['x'.repeat(300)] }, 400, /prompts\[0\]/],
      ['/inference/unknown', { images: [good] }, 404, /Cannot POST/],
      ['/models/load', { model_type: 'yolo' }, 400, /model_type must be one of/],
      ['/jobs/submit/yolo', { images: [good] }, 404, /unknown model type/],
    ];
    for (const [path, body, status, detail] of cases) {
      const response = await postJson(`${api.url}${path}`, body);
      expect({ path, status: response.status }).toEqual({ path, status });
      expect(response.body.detail).toMatch(detail);
    }
  });

  it('answers 413 for an image above FOCAL_MAX_IMAGE_BYTES, and accepts one just below it', async () => {
    // A real PNG of random pixels (incompressible) just over 2,000,000 bytes, under the pixel limit.
    const noisy = await sharp(
      Buffer.from(Array.from({ length: 540 * 540 * 3 }, (_, i) => (i * 7919 + (i >> 3) * 104729) % 251)),
      {
        raw: { width: 540, height: 540, channels: 3 },
      },
    )
      .png({ compressionLevel: 0 })
      .toBuffer();
    const over = Buffer.concat([noisy, Buffer.alloc(2_000_001 - noisy.length + 1)]);
    expect(over.length).toBeGreaterThan(2_000_000);
    const tooLarge = await postJson(`${api.url}/inference/dinov3`, { images: [over.toString('base64')] });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.detail).toMatch(/2000000/);
    expect(noisy.length).toBeLessThan(2_000_000);
    const fits = await postJson(`${api.url}/inference/dinov3`, { images: [noisy.toString('base64')] });
    expect(fits.status).toBe(200);
  });

  it('refuses images above the pixel limit and malformed JSON', async () => {
    const big = await pngBase64(makePixels(600, 600, () => [0, 0, 0]));
    const tooMany = await postJson(`${api.url}/inference/dinov3`, { images: [big] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.detail).toMatch(/360000 pixels, more than the 300000 allowed/);
    const raw = await fetch(`${api.url}/inference/dinov3`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"images": [',
    });
    expect(raw.status).toBe(400);
    expect(Object.keys((await raw.json()) as object)).toEqual(['detail']);
  });

  it('falls back from CUDA to CPU with a warning in the load response and in status', async () => {
    const load = await postJson(`${api.url}/models/load`, { model_type: 'depth-anything', device: 'cuda' });
    expect(load.status).toBe(200);
    expect(load.body).toMatchObject({
      status: 'loaded',
      state: 'ready',
      device: 'cpu',
      requested_device: 'cuda',
      demo: true,
    });
    expect(load.body.warnings.join(' ')).toMatch(/CUDA was requested/);
    const status = await getJson(`${api.url}/models/status`);
    expect(status.body.depth_anything.warnings.join(' ')).toMatch(/CUDA/);
  });

  it('detects a crashed worker, reports why, and reloads it on the next request', async () => {
    // From a known state, whatever ran before: no workers, then DINOv3's alone, so its pid is unambiguous.
    await postJson(`${api.url}/models/unload-all`, {});
    await waitFor(async () => (childPids(api.process.pid as number).length === 0 ? true : undefined));
    expect((await postJson(`${api.url}/models/load`, { model_type: 'dinov3' })).body.state).toBe('ready');
    const [dinoPid, ...others] = childPids(api.process.pid as number);
    expect(others).toEqual([]);
    process.kill(dinoPid, 'SIGKILL');
    const failed = await waitFor(async () => {
      const s = (await getJson(`${api.url}/models/status`)).body.dinov3;
      return s.state === 'failed' ? s : undefined;
    });
    expect(failed.error).toMatch(/worker exited unexpectedly: worker exited with signal SIGKILL/);
    const image = await pngBase64(makePixels(32, 32, () => [5, 5, 5]));
    const response = await postJson(`${api.url}/inference/dinov3`, { images: [image] });
    expect(response.status).toBe(200);
    const after = (await getJson(`${api.url}/models/status`)).body.dinov3;
    expect(after.state).toBe('ready');
    expect(childPids(api.process.pid as number)).not.toContain(dinoPid);
  });

  it('unloads one model and then all, stopping their processes', async () => {
    await postJson(`${api.url}/models/load`, { model_type: 'depth_anything' });
    await postJson(`${api.url}/models/load`, { model_type: 'dinov3' });
    const unload = await postJson(`${api.url}/models/unload`, { model_type: 'depth-anything' });
    expect(unload.body).toEqual({ status: 'unloaded', unloaded: ['depth_anything'] });
    const all = await postJson(`${api.url}/models/unload-all`, {});
    expect(all.body).toEqual({ status: 'unloaded', unloaded: ['dinov3'] });
    const status = (await getJson(`${api.url}/models/status`)).body;
    expect(Object.values(status).map((s: any) => s.state)).toEqual(['unloaded', 'unloaded', 'unloaded', 'unloaded']);
    await waitFor(async () => (childPids(api.process.pid as number).length === 0 ? true : undefined));
    const health = (await getJson(`${api.url}/health`)).body;
    expect(health).toMatchObject({ status: 'healthy', loaded_models: [], runtime: 'local', gpu_available: false });
  });
});
