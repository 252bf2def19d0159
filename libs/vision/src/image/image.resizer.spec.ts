import { ResampleKernel, resampleFromPil, resizeRgb } from './image.resizer.js';
import type { RgbImage } from './rgb-image.js';
import { makeRaw, rgbAt } from './image.spec-support.js';

function image(width: number, height: number, pixel: (x: number, y: number) => number[]): RgbImage {
  return { width, height, data: makeRaw(width, height, 3, pixel) };
}

describe('resampleFromPil', () => {
  it.each<[number, ResampleKernel]>([
    [0, 'nearest'],
    [1, 'lanczos'],
    [2, 'bilinear'],
    [3, 'bicubic'],
  ])('maps PIL code %d to %s', (code, kernel) => {
    expect(resampleFromPil(code, 'nearest' === kernel ? 'bicubic' : 'nearest')).toBe(kernel);
  });

  it('falls back for a missing code and for codes sharp has no kernel for (BOX 4, HAMMING 5)', () => {
    expect(resampleFromPil(undefined, 'bicubic')).toBe('bicubic');
    expect(resampleFromPil(4, 'bilinear')).toBe('bilinear');
    expect(resampleFromPil(5, 'nearest')).toBe('nearest');
  });
});

describe('resizeRgb', () => {
  it('returns the very same image for a same-size resize', async () => {
    const src = image(3, 2, (x, y) => [x, y, 9]);
    await expect(resizeRgb(src, 3, 2, 'bicubic')).resolves.toBe(src);
  });

  it.each<[ResampleKernel, number, number]>([
    ['nearest', 7, 3],
    ['bilinear', 2, 9],
    ['bicubic', 13, 5],
    ['lanczos', 1, 1],
  ])('produces exactly the requested %s size %d×%d, ignoring the aspect ratio', async (kernel, width, height) => {
    const out = await resizeRgb(
      image(4, 4, (x, y) => [x * 60, y * 60, 0]),
      width,
      height,
      kernel,
    );
    expect([out.width, out.height]).toEqual([width, height]);
    expect(out.data).toHaveLength(width * height * 3);
  });

  it('keeps a flat colour flat with every kernel', async () => {
    for (const kernel of ['nearest', 'bilinear', 'bicubic', 'lanczos'] as const) {
      const out = await resizeRgb(
        image(5, 3, () => [12, 200, 77]),
        11,
        8,
        kernel,
      );
      for (let y = 0; y < 8; y++) for (let x = 0; x < 11; x++) expect(rgbAt(out.data, 11, x, y)).toEqual([12, 200, 77]);
    }
  });

  it('with nearest, a 2× upscale repeats each pixel as a 2×2 block', async () => {
    const src = image(2, 2, (x, y) => [x * 100, y * 100, 50]);
    const out = await resizeRgb(src, 4, 4, 'nearest');
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 4; x++) expect(rgbAt(out.data, 4, x, y)).toEqual(rgbAt(src.data, 2, x >> 1, y >> 1));
    }
  });

  it('keeps left/right and top/bottom where they were', async () => {
    const src = image(8, 8, (x, y) => [x < 4 ? 255 : 0, y < 4 ? 255 : 0, 0]);
    const out = await resizeRgb(src, 16, 12, 'bilinear');
    expect(rgbAt(out.data, 16, 1, 1)).toEqual([255, 255, 0]);
    expect(rgbAt(out.data, 16, 14, 10)).toEqual([0, 0, 0]);
  });
});
