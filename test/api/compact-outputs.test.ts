import { FocalApi, startFocalApi, tempCacheDir } from '../support/focal-api.process.js';
import { getJson, makePixels, pngBase64, postJson } from '../support/test-images.js';

/** float32 little-endian values read with DataView, whatever the platform's byte order. */
function floats(bytes: Buffer): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

/** A minimal .npy v1.0 reader, from the format description: header dict, then the data. */
function readNpy(bytes: Buffer): { descr: string; shape: number[]; values: number[] } {
  expect(bytes.subarray(0, 6).equals(Buffer.from([0x93, ...Buffer.from('NUMPY')]))).toBe(true);
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.toString('latin1', 10, 10 + headerLength);
  const descr = /'descr': '([^']+)'/.exec(header)?.[1] ?? '';
  const shape = (/'shape': \(([^)]*)\)/.exec(header)?.[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  expect(header).toMatch(/'fortran_order': False/);
  return { descr, shape, values: floats(bytes.subarray(10 + headerLength)) };
}

/** np.unpackbits: MSB first, then the first h·w bits as h rows of w. */
function unpackMask(data: string, [h, w]: number[]): number[][] {
  const bytes = Buffer.from(data, 'base64');
  expect(bytes.length).toBe(Math.ceil((h * w) / 8));
  const bits = Array.from({ length: h * w }, (_, i) => (bytes[i >> 3] >> (7 - (i % 8))) & 1);
  return Array.from({ length: h }, (_, y) => bits.slice(y * w, (y + 1) * w));
}

describe('compact outputs (tensor_format)', () => {
  let api: FocalApi;
  let images: string[];

  beforeAll(async () => {
    api = await startFocalApi({ HF_ROOT_FOLDER: tempCacheDir() });
    images = [
      await pngBase64(makePixels(64, 48, (x, y) => [x * 4, y * 5, 128])),
      await pngBase64(makePixels(30, 50, (x, y) => [(x * y) % 256, 90, 200])),
    ];
  }, 120_000);
  afterAll(() => api?.stop());

  // The nested lists print each float32 as the fewest digits that read back as it, so they are compared
  // after the float32 cast a client makes (Math.fround, np.float32).
  it('dinov3 base64: dtype, shape and little-endian float32 values equal to the default nested lists', async () => {
    const nested = (await postJson(`${api.url}/inference/dinov3`, { images })).body.features;
    const compact = await postJson(`${api.url}/inference/dinov3`, { images, tensor_format: 'base64' });
    expect(compact.status).toBe(200);
    const { last_hidden_state: hidden, pooler_output: pooled } = compact.body.features;
    const [b, t, d] = [
      nested.last_hidden_state.length,
      nested.last_hidden_state[0].length,
      nested.pooler_output[0].length,
    ];
    expect(hidden).toEqual({ dtype: 'float32', shape: [b, t, d], data: expect.any(String) });
    expect(floats(Buffer.from(hidden.data, 'base64'))).toEqual(nested.last_hidden_state.flat(2).map(Math.fround));
    expect(pooled.shape).toEqual([b, d]);
    expect(floats(Buffer.from(pooled.data, 'base64'))).toEqual(nested.pooler_output.flat().map(Math.fround));
  });

  it('dinov3 npy: data is a .npy file with <f4, the shape and the same values', async () => {
    const nested = (await postJson(`${api.url}/inference/dinov3`, { images: images.slice(0, 1) })).body.features;
    const compact = (
      await postJson(`${api.url}/inference/dinov3`, { images: images.slice(0, 1), tensor_format: 'npy' })
    ).body.features;
    const npy = readNpy(Buffer.from(compact.last_hidden_state.data, 'base64'));
    expect(npy.descr).toBe('<f4');
    expect(npy.shape).toEqual(compact.last_hidden_state.shape);
    expect(npy.shape).toEqual([1, nested.last_hidden_state[0].length, nested.pooler_output[0].length]);
    expect(npy.values).toEqual(nested.last_hidden_state.flat(2).map(Math.fround));
  });

  it('sam3 dense masks: bit-packed with their shape, unpacking to the default 0/1 rows', async () => {
    const body = { images: images.slice(0, 1), prompts: ['cat', 'dog'], threshold: 0 };
    const dense = (await postJson(`${api.url}/inference/sam3`, body)).body.results[0];
    const packed = (await postJson(`${api.url}/inference/sam3`, { ...body, tensor_format: 'base64' })).body.results[0];
    expect(dense.length).toBeGreaterThan(0);
    expect(packed.map((d: any) => [d.prompt, d.score, d.box])).toEqual(
      dense.map((d: any) => [d.prompt, d.score, d.box]),
    );
    packed.forEach((detection: any, i: number) => {
      expect(detection.mask.dtype).toBe('bits');
      expect(detection.mask.shape).toEqual([48, 64]);
      expect(unpackMask(detection.mask.data, detection.mask.shape)).toEqual(dense[i].mask);
    });
  });

  it('leaves rle masks, boxes and depth files as they are', async () => {
    const rle = { images: images.slice(0, 1), prompts: ['cat'], threshold: 0, output_format: 'rle' };
    const plain = (await postJson(`${api.url}/inference/sam3`, rle)).body.results;
    const compact = (await postJson(`${api.url}/inference/sam3`, { ...rle, tensor_format: 'npy' })).body.results;
    expect(compact).toEqual(plain);
    const depth = await postJson(`${api.url}/inference/depth-anything`, { images, tensor_format: 'base64' });
    const depthPlain = await postJson(`${api.url}/inference/depth-anything`, { images });
    expect(depth.body.results).toEqual(depthPlain.body.results);
  });

  it('a job with tensor_format keeps it: its stored result is the compact synchronous answer', async () => {
    const submitted = await postJson(`${api.url}/jobs/submit/dinov3`, { images, tensor_format: 'base64' });
    expect(submitted.status).toBe(200);
    let job: any;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      job = (await getJson(`${api.url}/jobs/${submitted.body.job_id}`)).body;
      if (['completed', 'failed'].includes(job.status)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(job.status).toBe('completed');
    const sync = await postJson(`${api.url}/inference/dinov3`, { images, tensor_format: 'base64' });
    expect(job.result.features).toEqual(sync.body.features);
  });

  it('400 for an unknown tensor_format', async () => {
    const response = await postJson(`${api.url}/inference/dinov3`, { images, tensor_format: 'hex' });
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/tensor_format must be one of the following values: json, base64, npy/);
  });
});
