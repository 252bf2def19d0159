import { resizeBilinearFloat } from './float.resizer.js';

function rows(data: Float32Array, width: number): number[][] {
  return Array.from({ length: data.length / width }, (_, y) => Array.from(data.subarray(y * width, (y + 1) * width)));
}

function expectClose(actual: number[][], expected: number[][], digits = 5): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((row, y) => {
    expect(row).toHaveLength(expected[y].length);
    row.forEach((v, x) => expect(v).toBeCloseTo(expected[y][x], digits));
  });
}

describe('resizeBilinearFloat', () => {
  it('returns an equal copy (not the same array) when the size does not change', () => {
    const src = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const out = resizeBilinearFloat(src, 2, 3, 2, 3);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(out).not.toBe(src);
    out[0] = 99;
    expect(src[0]).toBe(1);
  });

  it('upscales a 2×2 map to 4×4 like F.interpolate(bilinear, align_corners=False)', () => {
    // Half-pixel centres: output index i samples source coordinate (i + 0.5)·(2/4) − 0.5, clamped at 0:
    //   i=0 → −0.25 → 0     (all of source 0)
    //   i=1 →  0.25         (0.75·s0 + 0.25·s1)
    //   i=2 →  0.75         (0.25·s0 + 0.75·s1)
    //   i=3 →  1.25 → floor 1, neighbour clamped to 1 (all of source 1)
    // so along one axis [a, b] becomes [a, 0.75a+0.25b, 0.25a+0.75b, b]. Applying that to rows
    // [1, 2] and [3, 4] gives [1, 1.25, 1.75, 2] and [3, 3.25, 3.75, 4]; applying it down the
    // columns gives the middle rows 0.75·[1,1.25,1.75,2] + 0.25·[3,3.25,3.75,4] = [1.5, 1.75, 2.25, 2.5]
    // and 0.25·… + 0.75·… = [2.5, 2.75, 3.25, 3.5]. This is torch's well-known result for this input.
    const out = resizeBilinearFloat(Float32Array.from([1, 2, 3, 4]), 2, 2, 4, 4);
    expectClose(rows(out, 4), [
      [1, 1.25, 1.75, 2],
      [1.5, 1.75, 2.25, 2.5],
      [2.5, 2.75, 3.25, 3.5],
      [3, 3.25, 3.75, 4],
    ]);
  });

  it('treats the axes independently (2×2 → 2×4 only interpolates along x)', () => {
    const out = resizeBilinearFloat(Float32Array.from([1, 2, 3, 4]), 2, 2, 2, 4);
    expectClose(rows(out, 4), [
      [1, 1.25, 1.75, 2],
      [3, 3.25, 3.75, 4],
    ]);
  });

  it('keeps a linear ramp linear when downscaling 8 → 4 (samples, no averaging)', () => {
    // Source value v(x) = 3x + 1. Output i samples x = (i + 0.5)·2 − 0.5 = 2i + 0.5, all inside [0, 7],
    // so bilinear interpolation of a linear function is exact: 3(2i + 0.5) + 1 = 6i + 2.5.
    const src = Float32Array.from({ length: 8 }, (_, x) => 3 * x + 1);
    const out = resizeBilinearFloat(src, 1, 8, 1, 4);
    expectClose(rows(out, 4), [[2.5, 8.5, 14.5, 20.5]]);
  });

  it('keeps a 2-D linear ramp linear when downscaling 6×9 → 2×3', () => {
    // v(x, y) = 2x − 5y + 0.5. Scale 3 on both axes: output (i, j) samples x = 3j + 1, y = 3i + 1.
    const src = new Float32Array(6 * 9);
    for (let y = 0; y < 6; y++) for (let x = 0; x < 9; x++) src[y * 9 + x] = 2 * x - 5 * y + 0.5;
    const out = resizeBilinearFloat(src, 6, 9, 2, 3);
    const expected = [0, 1].map((i) => [0, 1, 2].map((j) => 2 * (3 * j + 1) - 5 * (3 * i + 1) + 0.5));
    expectClose(rows(out, 3), expected, 4);
  });

  it.each([
    [3, 5, 7, 2],
    [4, 4, 1, 1],
    [1, 1, 6, 9],
    [5, 2, 13, 11],
  ])('keeps a constant map constant (%d×%d → %d×%d)', (h, w, H, W) => {
    const out = resizeBilinearFloat(new Float32Array(h * w).fill(-2.75), h, w, H, W);
    expect(out).toHaveLength(H * W);
    for (const v of out) expect(v).toBeCloseTo(-2.75, 6);
  });

  it('never leaves the source range', () => {
    const src = Float32Array.from([0, 10, -5, 7, 3, 1]);
    const out = resizeBilinearFloat(src, 2, 3, 7, 5);
    for (const v of out) {
      expect(v).toBeGreaterThanOrEqual(-5 - 1e-5);
      expect(v).toBeLessThanOrEqual(10 + 1e-5);
    }
  });
});
