import { resizeBicubicFloat } from './bicubic-float.resizer.js';

describe('resizeBicubicFloat (torch bicubic, a = −0.75, align_corners=False)', () => {
  it('upscales [0, 1] to 4 as torch does: [−0.10546875, 0.2265625, 0.7734375, 1.10546875]', () => {
    // Source positions −¼, ¼, ¾, 1¼. At t = ¾ the weights are f(1¾), f(¾), f(¼), f(1¼) =
    // −0.03515625, 0.26171875, 0.87890625, −0.10546875 over indices −2..1 clamped to 0,0,0,1, so output 0
    // is −0.10546875 (an overshoot below the source range, as torch gives).
    const out = resizeBicubicFloat(Float32Array.from([0, 1]), 1, 2, 1, 4);
    const expected = [-0.10546875, 0.2265625, 0.7734375, 1.10546875];
    Array.from(out).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
  });

  it('samples (no antialias) when downscaling: [0,1,2,3] → 2 reads ½ and 2½ with edge-clamped taps', () => {
    // t = ½: weights −0.09375, 0.59375, 0.59375, −0.09375. Output 0 reads indices −1..2 → 0,0,1,2:
    // 0.59375 − 0.1875 = 0.40625; output 1 reads 1..4 → 1,2,3,3: 2.59375.
    const out = resizeBicubicFloat(Float32Array.from([0, 1, 2, 3]), 1, 4, 1, 2);
    expect(out[0]).toBeCloseTo(0.40625, 6);
    expect(out[1]).toBeCloseTo(2.59375, 6);
  });

  it('is separable: a 2-D linear map 1 + x + 2y becomes 1 + u[x] + 2·u[y]', () => {
    const u = [-0.10546875, 0.2265625, 0.7734375, 1.10546875];
    const out = resizeBicubicFloat(Float32Array.from([1, 2, 3, 4]), 2, 2, 4, 4);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) expect(out[y * 4 + x]).toBeCloseTo(1 + u[x] + 2 * u[y], 5);
  });

  it('keeps a constant map constant, to any size', () => {
    const out = resizeBicubicFloat(new Float32Array(6).fill(-2.5), 2, 3, 7, 1);
    expect(out).toHaveLength(7);
    out.forEach((v) => expect(v).toBeCloseTo(-2.5, 6));
  });

  it('copies at the same size and refuses a short buffer', () => {
    const src = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const out = resizeBicubicFloat(src, 2, 3, 2, 3);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(out).not.toBe(src);
    expect(() => resizeBicubicFloat(src, 3, 3, 1, 1)).toThrow(RangeError);
  });
});
