import sharp from 'sharp';
import { InvalidInputError } from '@focal/contracts';
import { decodeImage } from './image.decoder.js';
import { restrictSharpToRasterInput } from './raster-input.policy.js';
import { encodeRaw, makeRaw, rgbAt } from './image.spec-support.js';

const NO_LIMIT = 1_000_000;

async function decodeError(bytes: Uint8Array, maxPixels = NO_LIMIT): Promise<InvalidInputError> {
  const error = await decodeImage(bytes, maxPixels).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  return error as InvalidInputError;
}

describe('decodeImage', () => {
  it('decodes a PNG to exact interleaved RGB bytes, row-major', async () => {
    const pixel = (x: number, y: number) => [x * 40, y * 100, 7 + x + 10 * y];
    const png = await encodeRaw(makeRaw(5, 3, 3, pixel), 5, 3, 3, 'png');
    const image = await decodeImage(png, NO_LIMIT);
    expect([image.width, image.height]).toEqual([5, 3]);
    expect(image.data).toHaveLength(5 * 3 * 3);
    expect(Array.from(image.data)).toEqual(Array.from(makeRaw(5, 3, 3, pixel)));
  });

  it('decodes a JPEG to its size and (nearly) its colours', async () => {
    // Two flat halves, so JPEG's block artefacts stay small away from the edge.
    const pixel = (x: number) => (x < 16 ? [200, 30, 40] : [20, 60, 220]);
    const jpeg = await encodeRaw(makeRaw(32, 16, 3, pixel), 32, 16, 3, 'jpeg');
    const image = await decodeImage(jpeg, NO_LIMIT);
    expect([image.width, image.height]).toEqual([32, 16]);
    rgbAt(image.data, 32, 4, 8).forEach((v, c) => expect(Math.abs(v - [200, 30, 40][c])).toBeLessThanOrEqual(4));
    rgbAt(image.data, 32, 27, 8).forEach((v, c) => expect(Math.abs(v - [20, 60, 220][c])).toBeLessThanOrEqual(4));
  });

  it('expands a grayscale PNG to three equal channels', async () => {
    const gray = (x: number, y: number) => [x * 50 + y];
    const png = await encodeRaw(makeRaw(4, 2, 1, gray), 4, 2, 1, 'png');
    const image = await decodeImage(png, NO_LIMIT);
    expect(image.data).toHaveLength(4 * 2 * 3);
    for (let y = 0; y < 2; y++) {
      for (let x = 0; x < 4; x++) expect(rgbAt(image.data, 4, x, y)).toEqual([x * 50 + y, x * 50 + y, x * 50 + y]);
    }
  });

  it('drops the alpha channel of an RGBA PNG and keeps the colour values', async () => {
    const rgba = (x: number) => [10 + x, 100, 200 - x, x === 0 ? 0 : 128];
    const png = await encodeRaw(makeRaw(3, 1, 4, rgba), 3, 1, 4, 'png');
    const image = await decodeImage(png, NO_LIMIT);
    expect(image.data).toHaveLength(3 * 3);
    expect(Array.from(image.data)).toEqual([10, 100, 200, 11, 100, 199, 12, 100, 198]);
  });

  it('honours EXIF orientation 6 (rotate 90° clockwise): stored left half ends up on top', async () => {
    const pixel = (x: number) => (x < 16 ? [230, 20, 20] : [20, 20, 230]);
    const jpeg = await encodeRaw(makeRaw(32, 16, 3, pixel), 32, 16, 3, 'jpeg', 6);
    const image = await decodeImage(jpeg, NO_LIMIT);
    expect([image.width, image.height]).toEqual([16, 32]);
    const top = rgbAt(image.data, 16, 8, 6);
    const bottom = rgbAt(image.data, 16, 8, 25);
    expect(top[0]).toBeGreaterThan(200);
    expect(top[2]).toBeLessThan(50);
    expect(bottom[2]).toBeGreaterThan(200);
    expect(bottom[0]).toBeLessThan(50);
  });

  it('refuses bytes that are not an image with a 400 that says so', async () => {
    const error = await decodeError(new TextEncoder().encode('definitely not an image'));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^image could not be decoded: /);
  });

  it.each([
    ['SVG', '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>'],
    ['PDF', '%PDF-1.4\n1 0 obj << >> endobj'],
  ])('refuses %s from its magic without rendering it', async (kind, text) => {
    const error = await decodeError(new TextEncoder().encode(text));
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      `image could not be decoded: it is ${kind}, not a raster image (JPEG, PNG, WebP, GIF, TIFF, AVIF or HEIF)`,
    );
  });

  it('has sharp itself refuse SVG once restricted, even past the magic check', async () => {
    restrictSharpToRasterInput();
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>');
    await expect(sharp(svg).raw().toBuffer()).rejects.toThrow(/unsupported image format/);
    const png = await encodeRaw(
      makeRaw(2, 2, 3, () => [1, 2, 3]),
      2,
      2,
      3,
      'png',
    );
    await expect(sharp(png).raw().toBuffer()).resolves.toHaveLength(12);
  });

  it('refuses a truncated PNG', async () => {
    const png = await encodeRaw(
      makeRaw(64, 64, 3, (x, y) => [x * 4, y * 4, (x ^ y) * 4]),
      64,
      64,
      3,
      'png',
    );
    const error = await decodeError(png.subarray(0, Math.floor(png.length / 2)));
    expect(error.message).toMatch(/^image could not be decoded: /);
  });

  it('refuses an image above the pixel limit, naming the limit', async () => {
    const png = await encodeRaw(
      makeRaw(10, 10, 3, () => [1, 2, 3]),
      10,
      10,
      3,
      'png',
    );
    const error = await decodeError(png, 99);
    expect(error.status).toBe(400);
    expect(error.message).toBe('image has more than the 99 pixels allowed');
  });

  it('accepts an image of exactly the pixel limit', async () => {
    const png = await encodeRaw(
      makeRaw(10, 10, 3, () => [1, 2, 3]),
      10,
      10,
      3,
      'png',
    );
    const image = await decodeImage(png, 100);
    expect([image.width, image.height]).toEqual([10, 10]);
  });
});
