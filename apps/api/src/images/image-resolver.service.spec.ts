import sharp from 'sharp';
import { buildApiConfig } from '@focal/config';
import { InvalidInputError, PayloadTooLargeError } from '@focal/contracts';
import { GuardedHttpFetcher } from './guarded-http.fetcher.js';
import { HttpFixture, serve } from './http-fixture.spec-support.js';
import { ImageResolverService } from './image-resolver.service.js';

const MAX_BYTES = 2048;
const MAX_PIXELS = 100;
const SUPPORTED = 'expected JPEG, PNG, WebP, GIF, TIFF, AVIF or HEIF';
const URL_HINT = ' (to send a URL use {"data": "<url>", "format": "url"})';

async function png(width: number, height: number): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3, 90);
  return sharp(data, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** A PNG followed by zero bytes up to `size`: only the header is read, so it still counts as a PNG. */
function paddedTo(image: Buffer, size: number): Buffer {
  return Buffer.concat([image, Buffer.alloc(size - image.length)]);
}

function resolver(env: Record<string, string> = {}): ImageResolverService {
  const config = buildApiConfig({
    FOCAL_MAX_IMAGES: '2',
    FOCAL_MAX_IMAGE_BYTES: String(MAX_BYTES),
    FOCAL_MAX_IMAGE_PIXELS: String(MAX_PIXELS),
    FOCAL_ALLOW_PRIVATE_URLS: 'true',
    FOCAL_URL_TIMEOUT_MS: '2000',
    ...env,
  });
  return new ImageResolverService(config, new GuardedHttpFetcher(config));
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

let small: Buffer; // 4×3 PNG
let tooManyPixels: Buffer; // 11×10 = 110 pixels
let exactPixels: Buffer; // 10×10 = 100 pixels
const fixture = new HttpFixture({
  '/small.png': (request, response) => serve(small, 'image/png')(request, response),
  '/text': serve(new TextEncoder().encode('<html>not an image</html>'), 'text/html'),
  '/big.png': (request, response) => serve(paddedTo(small, MAX_BYTES + 1), 'image/png')(request, response),
});

beforeAll(async () => {
  small = await png(4, 3);
  tooManyPixels = await png(11, 10);
  exactPixels = await png(10, 10);
  await fixture.start();
});
afterAll(() => fixture.stop());

describe('ImageResolverService: base64 input', () => {
  it('returns the image bytes for a bare base64 string', async () => {
    await expect(resolver().resolve([small.toString('base64')])).resolves.toEqual([small]);
  });

  it('accepts a data: URL prefix', async () => {
    const [out] = await resolver().resolve([`data:image/png;base64,${small.toString('base64')}`]);
    expect(out.equals(small)).toBe(true);
  });

  it('accepts the object form with format "base64" and with no format', async () => {
    const b64 = small.toString('base64');
    await expect(resolver().resolve([{ data: b64, format: 'base64' }, { data: b64 }])).resolves.toEqual([small, small]);
  });

  it('ignores whitespace and line breaks inside the base64 (MIME-wrapped input)', async () => {
    const wrapped = small.toString('base64').replace(/(.{76})/g, '$1\r\n') + '\n';
    const spaced = ` ${small.toString('base64').split('').join(' ')} `;
    const [a, b] = await resolver().resolve([wrapped, spaced]);
    expect(a.equals(small)).toBe(true);
    expect(b.equals(small)).toBe(true);
  });

  it('accepts base64 without its = padding', async () => {
    const unpadded = small.toString('base64').replace(/=+$/, '');
    const [out] = await resolver().resolve([unpadded]);
    expect(out.equals(small)).toBe(true);
  });

  it.each([
    ['characters outside the alphabet', 'abc$def!'],
    ['URL-safe base64 (- and _)', 'ab-_cd=='],
    ['a length of 4n+1', 'QUJDR'],
    ['an empty data: URL', 'data:image/png;base64,'],
    ['only whitespace', '   \n '],
  ])('refuses %s with a 400', async (_label, data) => {
    const error = await failure(resolver().resolve([data]));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe('images[0] is not valid base64');
  });

  it.each(['https://example.com/cat.jpg', 'http://10.0.0.1/a.png'])(
    'hints at the URL form when %s is sent as base64',
    async (url) => {
      const error = await failure(resolver().resolve([url]));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toBe(`images[0] is not valid base64${URL_HINT}`);
    },
  );

  it('gives the hint for the object form without format too', async () => {
    const error = await failure(resolver().resolve([{ data: 'https://example.com/cat.jpg' }]));
    expect(error.message).toBe(`images[0] is not valid base64${URL_HINT}`);
  });

  it('names the index of the failing image', async () => {
    const error = await failure(resolver().resolve([small.toString('base64'), 'not base64!']));
    expect(error.message).toBe('images[1] is not valid base64');
  });
});

describe('ImageResolverService: limits', () => {
  it('refuses more images than FOCAL_MAX_IMAGES with a 400', async () => {
    const b64 = small.toString('base64');
    const error = await failure(resolver().resolve([b64, b64, b64]));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe('too many images: 3 (at most 2 per request)');
  });

  it('accepts exactly FOCAL_MAX_IMAGES images', async () => {
    const b64 = small.toString('base64');
    await expect(resolver().resolve([b64, b64])).resolves.toHaveLength(2);
  });

  it('accepts an image of exactly FOCAL_MAX_IMAGE_BYTES', async () => {
    const exact = paddedTo(small, MAX_BYTES);
    const [out] = await resolver().resolve([exact.toString('base64')]);
    expect(out.length).toBe(MAX_BYTES);
  });

  it('refuses one byte more with a 413', async () => {
    const error = await failure(resolver().resolve([paddedTo(small, MAX_BYTES + 1).toString('base64')]));
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect((error as PayloadTooLargeError).status).toBe(413);
    expect(error.message).toBe(`images[0] is larger than ${MAX_BYTES} bytes`);
  });

  it('refuses a far larger payload with a 413 before decoding it', async () => {
    const error = await failure(resolver().resolve([small.toString('base64'), 'A'.repeat(4 * MAX_BYTES)]));
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(error.message).toBe(`images[1] is larger than ${MAX_BYTES} bytes`);
  });

  it('refuses an image above FOCAL_MAX_IMAGE_PIXELS from its header, with a 400 naming both numbers', async () => {
    const error = await failure(resolver().resolve([tooManyPixels.toString('base64')]));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe(`images[0] has 110 pixels, more than the ${MAX_PIXELS} allowed (11×10 in its header)`);
  });

  it('accepts an image of exactly FOCAL_MAX_IMAGE_PIXELS', async () => {
    await expect(resolver().resolve([exactPixels.toString('base64')])).resolves.toHaveLength(1);
  });

  it('refuses valid base64 that is not an image with a 400', async () => {
    const error = await failure(resolver().resolve([Buffer.from('just some text, not pixels').toString('base64')]));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe(`images[0] is not a supported image: it is an unrecognised format (${SUPPORTED})`);
  });

  it.each([
    ['SVG', '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>'],
    ['PDF', '%PDF-1.4\n1 0 obj'],
    ['HTML', '<!doctype html><html></html>'],
  ])('refuses %s from its magic bytes, naming the kind, before any decoding', async (kind, text) => {
    const error = await failure(resolver().resolve([Buffer.from(text).toString('base64')]));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe(`images[0] is not a supported image: it is ${kind} (${SUPPORTED})`);
  });

  it('refuses a truncated header with a 400 that says where it stops', async () => {
    const error = await failure(resolver().resolve([small.subarray(0, 20).toString('base64')]));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe(
      'images[0] is not a supported image: PNG header is malformed: truncated at byte 20 (20 bytes in all)',
    );
  });
});

describe('ImageResolverService: URL input', () => {
  it('fetches the URL and returns the image bytes', async () => {
    await expect(resolver().resolve([{ data: fixture.url('/small.png'), format: 'url' }])).resolves.toEqual([small]);
  });

  it('applies the image checks to fetched bytes', async () => {
    const error = await failure(resolver().resolve([{ data: fixture.url('/text'), format: 'url' }]));
    expect(error.message).toBe(`images[0] is not a supported image: it is HTML (${SUPPORTED})`);
  });

  it('passes on the fetcher’s 413 for a body over the byte cap', async () => {
    const error = await failure(resolver().resolve([{ data: fixture.url('/big.png'), format: 'url' }]));
    expect(error).toBeInstanceOf(PayloadTooLargeError);
  });

  it('goes through the SSRF guard', async () => {
    fixture.hits.length = 0;
    const error = await failure(
      resolver({ FOCAL_ALLOW_PRIVATE_URLS: 'false' }).resolve([{ data: fixture.url('/small.png'), format: 'url' }]),
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toMatch(/^image URL address 127\.0\.0\.1 is not allowed/);
    expect(fixture.hits).toEqual([]);
  });
});
