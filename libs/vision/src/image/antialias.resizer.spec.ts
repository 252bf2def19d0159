import { resizeAntialiasRgb8, resizeAntialiasRgb8ToPlanar } from './antialias.resizer.js';
import type { RgbImage } from './rgb-image.js';

function grayRow(values: number[]): RgbImage {
  return { width: values.length, height: 1, data: Uint8Array.from(values.flatMap((v) => [v, v, v])) };
}

/** Seeded noise: every byte value appears, so clamping and the fixed-point rounding are exercised. */
function noise(width: number, height: number, seed = 1): RgbImage {
  let state = seed;
  const data = Uint8Array.from({ length: width * height * 3 }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state >>> 24;
  });
  return { width, height, data };
}

function transpose(image: RgbImage): RgbImage {
  const data = new Uint8Array(image.data.length);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      for (let c = 0; c < 3; c++) data[(x * image.height + y) * 3 + c] = image.data[(y * image.width + x) * 3 + c];
    }
  }
  return { width: image.height, height: image.width, data };
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

  // The vertical pass has its own code (five taps written out, or any number tap by tap): it must give the
  // very bytes the horizontal pass gives on the transposed image, for up- and downscales of both filters.
  it.each([
    ['bicubic', 61, 'upscale, ≤ 5 taps'],
    ['bilinear', 131, 'upscale, 3 taps'],
    ['bilinear', 27, 'downscale, ≤ 5 taps'],
    ['bicubic', 13, 'downscale by 3, 13 taps'],
  ] as const)('resizes height like width, bit for bit (%s to %i rows: %s)', (filter, rows, _case) => {
    const image = noise(9, 40, rows);
    const vertical = resizeAntialiasRgb8(image, 9, rows, filter);
    const horizontal = resizeAntialiasRgb8(transpose(image), rows, 9, filter);
    expect(Buffer.from(vertical.data).equals(Buffer.from(transpose(horizontal).data))).toBe(true);
  });

  it('clamps the bicubic overshoot at a hard edge to 0..255 instead of wrapping around as a byte', () => {
    const row = [0, 0, 255, 255];
    const exact = resizeAntialiasRgb8ToPlanar(grayRow(row), 1, 9, 'bicubic', 1).subarray(0, 9);
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

describe('resizeAntialiasRgb8ToPlanar', () => {
  it('keeps a ramp a ramp inside when halving, and shows the renormalised edge (5/7, not ½)', () => {
    // v(x) = x on 8 → 4: inside, the symmetric [1,3,3,1]/8 gives the centre 2i + ½; at output 0 the taps
    // 0..2 weigh [3,3,1]/7, giving (0·3 + 1·3 + 2·1)/7 = 5/7. Each plane holds the same values.
    const out = resizeAntialiasRgb8ToPlanar(grayRow([0, 1, 2, 3, 4, 5, 6, 7]), 1, 4, 'bilinear', 1);
    const expected = [5 / 7, 2.5, 4.5, 7 - 5 / 7];
    expect(out).toHaveLength(12);
    Array.from(out).forEach((v, i) => expect(v).toBeCloseTo(expected[i % 4], 6));
  });

  it('upscales 2 → 4 with the renormalised cubic: [a, b] → (111a − 9b)/102, (111a + 29b)/140, …', () => {
    const out = resizeAntialiasRgb8ToPlanar(grayRow([1, 2]), 1, 4, 'bicubic', 1);
    const expected = [(111 - 18) / 102, (111 + 58) / 140, (29 + 222) / 140, (222 - 9) / 102];
    Array.from(out).forEach((v, i) => expect(v).toBeCloseTo(expected[i % 4], 6));
  });

  it('applies the rescale and resizes both axes: constant planes stay constant', () => {
    // R = 64, G = 200, B = 0 everywhere; rescale 1/256: a 5×3 → 2×7 resize keeps 0.25, 0.78125, 0.
    const constant: RgbImage = {
      width: 5,
      height: 3,
      data: Uint8Array.from({ length: 45 }, (_, i) => [64, 200, 0][i % 3]),
    };
    const out = resizeAntialiasRgb8ToPlanar(constant, 7, 2, 'bilinear', 1 / 256);
    expect(out).toHaveLength(3 * 14);
    [0.25, 0.78125, 0].forEach((value, c) =>
      out.subarray(c * 14, (c + 1) * 14).forEach((v) => expect(v).toBeCloseTo(value, 6)),
    );
  });

  it('standardises as it stores: (v − mean) / std of the plain resize, per channel, to float32 rounding', () => {
    const image = noise(37, 23, 5);
    const plain = resizeAntialiasRgb8ToPlanar(image, 11, 16, 'bilinear', 1 / 255);
    const standardize = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } as const;
    for (const [outHeight, out] of [
      [11, resizeAntialiasRgb8ToPlanar(image, 11, 16, 'bilinear', 1 / 255, standardize)],
      [23, resizeAntialiasRgb8ToPlanar(image, 23, 16, 'bilinear', 1 / 255, standardize)],
    ] as const) {
      const reference = outHeight === 11 ? plain : resizeAntialiasRgb8ToPlanar(image, 23, 16, 'bilinear', 1 / 255);
      const plane = outHeight * 16;
      let worst = 0;
      reference.forEach((v, i) => {
        const c = Math.floor(i / plane);
        worst = Math.max(worst, Math.abs(out[i] - (v - standardize.mean[c]) / standardize.std[c]));
      });
      expect(worst).toBeLessThan(1e-6);
    }
  });

  it('at the same size gives the rescaled bytes, planar', () => {
    const image = { width: 2, height: 1, data: Uint8Array.from([10, 20, 30, 40, 50, 60]) };
    expect(Array.from(resizeAntialiasRgb8ToPlanar(image, 1, 2, 'bicubic', 0.5))).toEqual([5, 20, 10, 25, 15, 30]);
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
