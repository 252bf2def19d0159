import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resizeCubicCv2Rgb8 } from './cv2-cubic.resizer.js';
import type { RgbImage } from './rgb-image.js';

/** cv2 4.12.0.88 outputs written by tools/reference/cv2_cubic_vectors.py (cases where float64 rounding differs). */
interface Cv2Vector {
  kernel: 'ipp' | 'fixed';
  in: [number, number];
  out: [number, number];
  float64_differs: number;
  src: string;
  expected: string;
}

const VECTORS: Cv2Vector[] = JSON.parse(
  readFileSync(join(process.cwd(), 'libs/vision/fixtures/cv2-cubic.vectors.json'), 'utf8'),
).cases;

function grayRow(values: number[]): RgbImage {
  return { width: values.length, height: 1, data: Uint8Array.from(values.flatMap((v) => [v, v, v])) };
}

const channel0 = (image: RgbImage) => Array.from({ length: image.width * image.height }, (_, i) => image.data[i * 3]);

describe('resizeCubicCv2Rgb8 (cv2 INTER_CUBIC, a = −0.75)', () => {
  it('enlarges [0, 100] to 4 with clamped edge taps: 100·[−0.10546875, 0.2265625, 0.7734375, 1.10546875], saturated', () => {
    // Source positions −¼, ¼, ¾, 1¼ with indices clamped to the border (the same weights as torch's bicubic,
    // see bicubic-float.resizer.spec): −10.55 saturates to 0, 22.66 → 23, 77.34 → 77, 110.55 → 111.
    expect(channel0(resizeCubicCv2Rgb8(grayRow([0, 100]), 4, 1))).toEqual([0, 23, 77, 111]);
  });

  it('keeps flat colours flat and leaves an unchanged axis exactly as it was', () => {
    const data = new Uint8Array(3 * 2 * 3);
    for (let i = 0; i < 6; i++) data.set([12, 250, 77], i * 3);
    const out = resizeCubicCv2Rgb8({ width: 3, height: 2, data }, 8, 2);
    for (let i = 0; i < 16; i++) expect(Array.from(out.data.subarray(i * 3, i * 3 + 3))).toEqual([12, 250, 77]);
    const column: RgbImage = { width: 1, height: 3, data: Uint8Array.from([5, 5, 5, 90, 90, 90, 7, 7, 7]) };
    expect(Array.from(resizeCubicCv2Rgb8(column, 2, 3).data)).toEqual([
      5, 5, 5, 5, 5, 5, 90, 90, 90, 90, 90, 90, 7, 7, 7, 7, 7, 7,
    ]);
  });

  it('returns the same image at the same size', () => {
    const image = grayRow([1, 2]);
    expect(resizeCubicCv2Rgb8(image, 2, 1)).toBe(image);
  });

  it.each(VECTORS.map((v) => [`${v.kernel} ${v.in.join('×')} → ${v.out.join('×')}`, v] as const))(
    'equals cv2 bit for bit: %s',
    (_, vector) => {
      const [width, height] = vector.in;
      const source: RgbImage = { width, height, data: new Uint8Array(Buffer.from(vector.src, 'base64')) };
      const out = resizeCubicCv2Rgb8(source, vector.out[0], vector.out[1]);
      expect(Buffer.from(out.data).toString('base64')).toBe(vector.expected);
    },
  );

  it('covers both cv2 kernels with vectors that a float64 cubic gets wrong', () => {
    expect(new Set(VECTORS.map((v) => v.kernel))).toEqual(new Set(['ipp', 'fixed']));
    for (const v of VECTORS) expect(v.float64_differs).toBeGreaterThan(0);
  });
});
