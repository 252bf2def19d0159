import { FocalApi, startFocalApi, tempCacheDir } from '../support/focal-api.process.js';
import { getJson, makePixels, pngBase64, postJson } from '../support/test-images.js';

const MAX_IMAGE_BYTES = 50_000;
const MAX_IMAGES = 3;

/** A multipart POST as a browser or `curl -F` sends it; `fields` entries repeat their name for each value. */
async function postForm(url: string, files: Buffer[], fields: Array<[string, string]> = [], fileField = 'images') {
  const form = new FormData();
  files.forEach((bytes, i) =>
    form.append(fileField, new Blob([new Uint8Array(bytes)], { type: 'image/png' }), `${i}.png`),
  );
  for (const [name, value] of fields) form.append(name, value);
  const response = await fetch(url, { method: 'POST', body: form });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // left as text
  }
  return { status: response.status, body };
}

async function waitForJob(api: FocalApi, id: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const job = await getJson(`${api.url}/jobs/${id}`);
    if (['completed', 'failed'].includes(job.body.status)) return job.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not finish`);
}

const withoutTime = (body: Record<string, unknown>) => ({ ...body, processing_time: undefined });

describe('multipart/form-data uploads', () => {
  let api: FocalApi;
  let png: Buffer;
  let otherPng: Buffer;

  beforeAll(async () => {
    api = await startFocalApi({
      HF_ROOT_FOLDER: tempCacheDir(),
      FOCAL_MAX_IMAGE_BYTES: String(MAX_IMAGE_BYTES),
      FOCAL_MAX_IMAGES: String(MAX_IMAGES),
    });
    png = Buffer.from(await pngBase64(makePixels(64, 48, (x, y) => [x * 4, y * 5, 128])), 'base64');
    otherPng = Buffer.from(await pngBase64(makePixels(40, 30, (x) => [200, x * 6, 30])), 'base64');
  }, 120_000);
  afterAll(() => api?.stop());

  it('dinov3: image files give exactly the JSON route’s answer for the same images', async () => {
    const form = await postForm(`${api.url}/inference/dinov3`, [png, otherPng]);
    const json = await postJson(`${api.url}/inference/dinov3`, {
      images: [png.toString('base64'), otherPng.toString('base64')],
    });
    expect(form.status).toBe(200);
    expect(form.body.features.last_hidden_state).toHaveLength(2);
    expect(withoutTime(form.body)).toEqual(withoutTime(json.body));
  });

  it('sam3: repeated prompt fields and numbers as text, same answer as JSON', async () => {
    const fields: Array<[string, string]> = [
      ['prompts', 'cat'],
      ['prompts', 'dog'],
      ['threshold', '0.1'],
      ['output_format', 'rle'],
    ];
    const form = await postForm(`${api.url}/inference/sam3`, [png], fields);
    const json = await postJson(`${api.url}/inference/sam3`, {
      images: [png.toString('base64')],
      prompts: ['cat', 'dog'],
      threshold: 0.1,
      output_format: 'rle',
    });
    expect(form.status).toBe(200);
    expect(withoutTime(form.body)).toEqual(withoutTime(json.body));
    expect(new Set(form.body.results[0].map((d: any) => d.prompt))).toEqual(new Set(['cat', 'dog']));
  });

  it('grounding-dino: prompts as one JSON list field (a prompt may contain brackets)', async () => {
    const fields: Array<[string, string]> = [['prompts', '["cat", "a [red] ball"]']];
    const form = await postForm(`${api.url}/inference/grounding-dino`, [png], fields);
    const json = await postJson(`${api.url}/inference/grounding-dino`, {
      images: [png.toString('base64')],
      prompts: ['cat', 'a [red] ball'],
    });
    expect(form.status).toBe(200);
    expect(withoutTime(form.body)).toEqual(withoutTime(json.body));
  });

  it('depth-anything: files and a text image field (base64) together, files first', async () => {
    const form = await postForm(
      `${api.url}/inference/depth-anything`,
      [png],
      [
        ['images', otherPng.toString('base64')],
        ['export_format', 'npy'],
      ],
    );
    expect(form.status).toBe(200);
    expect(form.body.results.map((r: any) => r.metadata.shape)).toEqual([
      [48, 64],
      [30, 40],
    ]);
    expect(typeof form.body.results[1].npy_data).toBe('string');
  });

  it('jobs/submit: a multipart job completes with the result of the synchronous call', async () => {
    const submitted = await postForm(`${api.url}/jobs/submit/dinov3`, [png]);
    expect(submitted.status).toBe(200);
    const job = await waitForJob(api, submitted.body.job_id);
    expect(job.status).toBe('completed');
    const sync = await postJson(`${api.url}/inference/dinov3`, { images: [png.toString('base64')] });
    expect(job.result.features).toEqual(sync.body.features);
  });

  it('413 for a file above FOCAL_MAX_IMAGE_BYTES, on inference and on job submission', async () => {
    const big = Buffer.concat([png, Buffer.alloc(MAX_IMAGE_BYTES)]);
    for (const path of ['/inference/dinov3', '/jobs/submit/dinov3']) {
      const response = await postForm(`${api.url}${path}`, [big]);
      expect(response.status).toBe(413);
      expect(response.body.detail).toBe(`an image is larger than ${MAX_IMAGE_BYTES} bytes`);
    }
  });

  it('400 with a clear detail for too many files, a stray file field, no image, a bad value, a non-image', async () => {
    const tooMany = await postForm(`${api.url}/inference/dinov3`, [png, png, png, png]);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.detail).toBe(`too many images: more than ${MAX_IMAGES} per request`);

    const stray = await postForm(`${api.url}/inference/dinov3`, [png], [], 'picture');
    expect(stray.status).toBe(400);
    expect(stray.body.detail).toMatch(/file part "picture" is not expected/);

    const none = await postForm(`${api.url}/inference/dinov3`, [], [['tensor_format', 'json']]);
    expect(none.status).toBe(400);
    expect(none.body.detail).toMatch(/images must be a non-empty list/);

    const badValue = await postForm(
      `${api.url}/inference/sam3`,
      [png],
      [
        ['prompts', 'cat'],
        ['threshold', '2'],
      ],
    );
    expect(badValue.status).toBe(400);
    expect(badValue.body.detail).toMatch(/threshold must not be greater than 1/);

    const text = await postForm(`${api.url}/inference/dinov3`, [Buffer.from('not an image at all')]);
    expect(text.status).toBe(400);
    expect(text.body.detail).toMatch(/images\[0\] is not a supported image/);
  });

  it('400 for a truncated multipart body, never a 5xx or a hang', async () => {
    const boundary = 'focal-test-boundary';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="images"; filename="a.png"\r\n\r\nabc`;
    const response = await fetch(`${api.url}/inference/dinov3`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/malformed multipart body/);
  });

  it('/openapi.json offers multipart/form-data with binary image parts on every /inference/* and /jobs/submit/* route', async () => {
    const spec = (await getJson(`${api.url}/openapi.json`)).body;
    const routes = Object.keys(spec.paths).filter((p) => /^\/(inference|jobs\/submit)\//.test(p));
    expect(routes.length).toBeGreaterThanOrEqual(5);
    const resolve = (schema: any) => (schema.$ref ? spec.components.schemas[schema.$ref.split('/').pop()] : schema);
    for (const route of routes) {
      const content = spec.paths[route].post.requestBody.content;
      expect(Object.keys(content).sort()).toEqual(['application/json', 'multipart/form-data']);
      const form = content['multipart/form-data'].schema;
      const variants = form.oneOf ?? form.anyOf ?? [form];
      for (const variant of variants) {
        expect(resolve(variant).properties.images.items).toEqual({ type: 'string', format: 'binary' });
        expect(resolve(variant).properties.tensor_format.enum).toEqual(['json', 'base64', 'npy']);
      }
    }
  });
});
