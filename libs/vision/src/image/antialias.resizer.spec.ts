import { seededRandom } from '@focal/testing';
import { resizeAntialiasPlanar, resizeAntialiasRgb8, resizeAntialiasRgb8ToPlanar } from './antialias.resizer.js';
import { toChwRescaled } from './normalize.js';
import type { RgbImage } from './rgb-image.js';

function grayRow(values: number[]): RgbImage {
  return { width: values.length, height: 1, data: Uint8Array.from(values.flatMap((v) => [v, v, v])) };
}

function channel(image: RgbImage, c: number): number[] {
  return Array.from({ length: image.width * image.height }, (_, i) => image.data[i * 3 + c]);
}

describe('resizeAntialiasRgb8', () => {
  it('returns the very same image when the size does not change', () => {
    const image = grayRow([1, 2, 3]);
    expect(resizeAntialiasRgb8(image, 3, 1, 'bicubic')).toBe(image);
  });

  it('halves a step [0,0,0,0,80,80,80,80] into [0, 10, 70, 80] with bilinear (triangle over ±2, edges renormalised)', () => {
    // Inside: [1,3,3,1]/8 over taps 1..4 → 80/8 = 10 and over 3..6 → 7·80/8 = 70; at the edges
    // the weights [3,3,1]/7 cover only zeros, or only 80s.
    const out = resizeAntialiasRgb8(grayRow([0, 0, 0, 0, 80, 80, 80, 80]), 4, 1, 'bilinear');
    expect([out.width, out.height]).toEqual([4, 1]);
    for (const c of [0, 1, 2]) expect(channel(out, c)).toEqual([0, 10, 70, 80]);
  });

  it('resizes columns like rows (the vertical pass uses the same weights)', () => {
    const column: RgbImage = {
      width: 1,
      height: 8,
      data: Uint8Array.from([0, 0, 0, 0, 80, 80, 80, 80].flatMap((v) => [v, 255 - v, 7])),
    };
    const out = resizeAntialiasRgb8(column, 1, 4, 'bilinear');
    expect(channel(out, 0)).toEqual([0, 10, 70, 80]);
    expect(channel(out, 1)).toEqual([255, 245, 185, 175]);
    expect(channel(out, 2)).toEqual([7, 7, 7, 7]);
  });

  it('clamps the bicubic overshoot at a hard edge to 0..255 instead of wrapping around as a byte', () => {
    const row = [0, 0, 255, 255];
    const exact = resizeAntialiasPlanar(Float32Array.from(row), 1, 1, 4, 1, 9, 'bicubic');
    const under = Array.from(exact).findIndex((v) => v < -1);
    const over = Array.from(exact).findIndex((v) => v > 256);
    // The negative lobes really do leave the range here, so the clamp is exercised on both sides.
    expect(under).toBeGreaterThanOrEqual(0);
    expect(over).toBeGreaterThanOrEqual(0);
    const values = channel(resizeAntialiasRgb8(grayRow(row), 9, 1, 'bicubic'), 0);
    expect(values[under]).toBe(0);
    expect(values[over]).toBe(255);
  });

  it.each([
    [5, 3, 11, 8],
    [640, 1, 17, 1],
    [3, 9, 3, 2],
  ])('keeps a flat colour flat (%d×%d → %d×%d)', (w, h, W, H) => {
    const data = new Uint8Array(w * h * 3);
    for (let i = 0; i < w * h; i++) data.set([12, 200, 77], i * 3);
    for (const filter of ['bilinear', 'bicubic'] as const) {
      const out = resizeAntialiasRgb8({ width: w, height: h, data }, W, H, filter);
      expect(out.data).toHaveLength(W * H * 3);
      for (let i = 0; i < W * H; i++) expect(Array.from(out.data.subarray(i * 3, i * 3 + 3))).toEqual([12, 200, 77]);
    }
  });
});

describe('resizeAntialiasPlanar', () => {
  it('keeps a ramp a ramp inside when halving, and shows the renormalised edge (5/7, not ½)', () => {
    // v(x) = x on 8 → 4: inside, the symmetric [1,3,3,1]/8 gives the centre 2i + ½; at output 0 the taps
    // 0..2 weigh [3,3,1]/7, giving (0·3 + 1·3 + 2·1)/7 = 5/7.
    const out = resizeAntialiasPlanar(Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), 1, 1, 8, 1, 4, 'bilinear');
    const expected = [5 / 7, 2.5, 4.5, 7 - 5 / 7];
    Array.from(out).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
  });

  it('upscales 2 → 4 with the renormalised cubic: [a, b] → (111a − 9b)/102, (111a + 29b)/140, …', () => {
    const out = resizeAntialiasPlanar(Float32Array.from([1, 2]), 1, 1, 2, 1, 4, 'bicubic');
    const expected = [(111 - 18) / 102, (111 + 58) / 140, (29 + 222) / 140, (222 - 9) / 102];
    Array.from(out).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
  });

  it('resizes each channel plane separately, both axes', () => {
    // Plane 0 constant 0.25, plane 1 constant −3: a 3×5 → 7×2 resize keeps each plane's constant.
    const src = new Float32Array(2 * 15);
    src.fill(0.25, 0, 15);
    src.fill(-3, 15);
    const out = resizeAntialiasPlanar(src, 2, 3, 5, 7, 2, 'bilinear');
    expect(out).toHaveLength(2 * 14);
    out.subarray(0, 14).forEach((v) => expect(v).toBeCloseTo(0.25, 6));
    out.subarray(14).forEach((v) => expect(v).toBeCloseTo(-3, 6));
  });

  it('returns a copy at the same size and refuses a buffer of the wrong length', () => {
    const src = Float32Array.from([1, 2, 3, 4]);
    const out = resizeAntialiasPlanar(src, 1, 2, 2, 2, 2, 'bicubic');
    expect(Array.from(out)).toEqual([1, 2, 3, 4]);
    expect(out).not.toBe(src);
    expect(() => resizeAntialiasPlanar(src, 3, 2, 2, 1, 1, 'bilinear')).toThrow(RangeError);
  });
});

describe('resizeAntialiasRgb8ToPlanar', () => {
  const random = seededRandom(11);
  const image = (width: number, height: number): RgbImage => ({
    width,
    height,
    data: Uint8Array.from({ length: width * height * 3 }, () => Math.floor(random() * 256)),
  });

  it.each([
    [640, 480, 224, 224, 'bilinear'],
    [333, 500, 224, 224, 'bicubic'],
    [17, 900, 224, 224, 'bilinear'],
    [100, 80, 100, 80, 'bilinear'],
    [100, 80, 100, 40, 'bicubic'],
    [1, 1, 224, 224, 'bicubic'],
  ] as const)('%i×%i → %i×%i (%s) equals rescale-then-resize to float rounding', (w, h, ow, oh, filter) => {
    const input = image(w, h);
    const twoStep = resizeAntialiasPlanar(toChwRescaled(input, 1 / 255), 3, h, w, oh, ow, filter);
    const fused = resizeAntialiasRgb8ToPlanar(input, oh, ow, filter, 1 / 255);
    expect(fused.length).toBe(3 * oh * ow);
    let worst = 0;
    for (let i = 0; i < fused.length; i++) worst = Math.max(worst, Math.abs(fused[i] - twoStep[i]));
    expect(worst).toBeLessThan(1e-6);
  });

  it('keeps the channels apart: a pure red image has zero green and blue planes', () => {
    const red: RgbImage = {
      width: 9,
      height: 7,
      data: Uint8Array.from({ length: 63 * 3 }, (_, i) => (i % 3 === 0 ? 255 : 0)),
    };
    const out = resizeAntialiasRgb8ToPlanar(red, 4, 5, 'bicubic', 1 / 255);
    expect(Array.from(out.subarray(0, 20)).every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
    expect(Array.from(out.subarray(20)).every((v) => Math.abs(v) < 1e-6)).toBe(true);
  });
});
