import sharp from 'sharp';
import { FocalApi, startFocalApi } from '../support/focal-api.process.js';
import { makePixels, pngBase64, postJson } from '../support/test-images.js';

/**
 * Hostile bodies and images over real HTTP, against the real API and a real dinov3 worker:
 * each one is a 4xx whose body is exactly {"detail": string}, and the API keeps serving afterwards.
 */
const be32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/** A PNG signature and an IHDR claiming width × height, then a stub IDAT and IEND: a bomb's header. */
function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => Buffer.concat([be32(data.length), Buffer.from(type), data, be32(0)]);
  const ihdr = Buffer.concat([be32(width), be32(height), Buffer.from([8, 2, 0, 0, 0])]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const b64 = (text: string | Buffer): string => Buffer.from(text).toString('base64');

async function postRaw(url: string, body: string) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, body: (await response.json()) as unknown };
}

function expectDetailOnly(response: { status: number; body: unknown }, status: number, detail: RegExp): void {
  expect(response.status).toBe(status);
  expect(Object.keys(response.body as object)).toEqual(['detail']);
  expect((response.body as { detail: unknown }).detail).toMatch(detail);
}

let api: FocalApi;
let good: string;

beforeAll(async () => {
  api = await startFocalApi({ FOCAL_MAX_IMAGE_PIXELS: '1000000' });
  good = await pngBase64(makePixels(16, 12, (x, y) => [x * 10, y * 10, 50]));
  expect((await postJson(`${api.url}/inference/dinov3`, { images: [good] })).status).toBe(200);
});
afterAll(() => api?.stop());

describe('hostile JSON bodies', () => {
  const deep = `{"images": ${'['.repeat(5000)}${']'.repeat(5000)}}`;

  it.each(['/inference/dinov3', '/inference/sam3', '/jobs/submit/dinov3', '/models/load'])(
    'a body of 5,000 nested arrays to %s is a 400 before validation (no stack overflow, no 500)',
    async (path) => {
      expectDetailOnly(await postRaw(`${api.url}${path}`, deep), 400, /^request body nests deeper than 32 levels/);
    },
  );

  it('an array of 200,000 items is a 400 naming where it is', async () => {
    const response = await postJson(`${api.url}/inference/dinov3`, { images: Array(200_000).fill(good.slice(0, 8)) });
    expectDetailOnly(response, 400, /^request body has an array of 200000 items at \$\.images \(at most 1024\)$/);
  });

  it('an object with 100,000 members is a 400', async () => {
    const wide = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
    const response = await postJson(`${api.url}/inference/dinov3`, { images: [good], ...wide });
    expectDetailOnly(response, 400, /^request body has an object with 100001 members at \$ /);
  });

  it('malformed JSON is a 400', async () => {
    expectDetailOnly(await postRaw(`${api.url}/inference/dinov3`, '{"images": ['), 400, /JSON|Unexpected/i);
  });
});

describe('images that are not rasters, bombs and truncations', () => {
  it.each<[string, string, RegExp]>([
    [
      'SVG',
      b64('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64"/></svg>'),
      /it is SVG/,
    ],
    [
      'SVG behind an XML prolog, as a data: URL',
      `data:image/png;base64,${b64('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>')}`,
      /it is SVG/,
    ],
    ['PDF', b64('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF'), /it is PDF/],
    ['HTML', b64('<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>'), /it is HTML/],
    ['BMP', b64(Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)])), /it is BMP/],
  ])('%s is a 400 naming the kind', async (_name, image, kind) => {
    const response = await postJson(`${api.url}/inference/dinov3`, { images: [image] });
    expectDetailOnly(response, 400, kind);
    expect((response.body as { detail: string }).detail).toMatch(/^images\[0\] is not a supported image: /);
  });

  it('a PNG whose IHDR claims 100000×100000 is refused from its header (400), never decoded', async () => {
    const response = await postJson(`${api.url}/inference/dinov3`, { images: [b64(pngClaiming(100_000, 100_000))] });
    expectDetailOnly(
      response,
      400,
      /^images\[0\] has 10000000000 pixels, more than the 1000000 allowed \(100000×100000 in its header\)$/,
    );
  });

  it('a PNG cut inside its header is refused by the API (400)', async () => {
    const png = Buffer.from(good, 'base64');
    const response = await postJson(`${api.url}/inference/dinov3`, { images: [b64(png.subarray(0, 20))] });
    expectDetailOnly(response, 400, /PNG header is malformed: truncated at byte 20/);
  });

  it.each(['png', 'jpeg', 'webp'] as const)(
    'a %s cut in half, header intact, is refused by the decoder (400)',
    async (format) => {
      const noise = Buffer.from(Array.from({ length: 128 * 96 * 3 }, (_, i) => (i * 7919) % 251));
      const full = await sharp(noise, { raw: { width: 128, height: 96, channels: 3 } })
        .toFormat(format)
        .toBuffer();
      const response = await postJson(`${api.url}/inference/dinov3`, {
        images: [b64(full.subarray(0, full.length >> 1))],
      });
      expectDetailOnly(response, 400, /could not be decoded/);
    },
  );

  it('still serves a good image after all of the above', async () => {
    const response = await postJson(`${api.url}/inference/dinov3`, {
      images: [await pngBase64(makePixels(9, 9, () => [1, 2, 3]))],
    });
    expect(response.status).toBe(200);
    expect(response.body.features.pooler_output).toHaveLength(1);
  });
});
