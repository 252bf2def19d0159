import { float32Tensor } from '../../tensor/tensor.js';
import { depthAtOriginalSize, intrinsicsAtOriginalSize } from './depth-anything.postprocess.js';

function kMatrix(fx: number, fy: number, cx: number, cy: number): number[] {
  return [fx, 0, cx, 0, fy, cy, 0, 0, 1];
}

describe('intrinsicsAtOriginalSize', () => {
  it('scales fx and cx by the width ratio and fy and cy by the height ratio', () => {
    // Predicted at the network input 518×686 (h×w) for a 480×640 original:
    // sx = 640/686, sy = 480/518.
    const k = float32Tensor(Float32Array.from(kMatrix(500, 520, 343, 259)), [1, 3, 3]);
    const out = intrinsicsAtOriginalSize(k, { height: 518, width: 686 }, { height: 480, width: 640 });
    expect(out.fx).toBeCloseTo((500 * 640) / 686, 3);
    expect(out.cx).toBeCloseTo((343 * 640) / 686, 3);
    expect(out.fy).toBeCloseTo((520 * 480) / 518, 3);
    expect(out.cy).toBeCloseTo((259 * 480) / 518, 3);
  });

  it('maps the input image centre to the original centre', () => {
    const k = float32Tensor(Float32Array.from(kMatrix(300, 300, 259, 252)), [1, 3, 3]);
    const out = intrinsicsAtOriginalSize(k, { height: 504, width: 518 }, { height: 1000, width: 3000 });
    expect(out.cx).toBeCloseTo(1500, 3);
    expect(out.cy).toBeCloseTo(500, 3);
  });

  it('is the identity when the sizes match', () => {
    const k = float32Tensor(Float32Array.from(kMatrix(11, 12, 13, 14)), [1, 3, 3]);
    expect(intrinsicsAtOriginalSize(k, { height: 50, width: 60 }, { height: 50, width: 60 })).toEqual({
      fx: 11,
      fy: 12,
      cx: 13,
      cy: 14,
    });
  });

  it('reads the first view of a [1, N, 3, 3] tensor', () => {
    const k = float32Tensor(Float32Array.from([...kMatrix(100, 200, 30, 40), ...kMatrix(9, 9, 9, 9)]), [1, 2, 3, 3]);
    expect(intrinsicsAtOriginalSize(k, { height: 10, width: 10 }, { height: 20, width: 5 })).toEqual({
      fx: 50,
      fy: 400,
      cx: 15,
      cy: 80,
    });
  });
});

describe('depthAtOriginalSize', () => {
  // HF's post_process_depth_estimation is bicubic (a = −0.75, align_corners=False, edges clamped). On one
  // axis, 2 → 4 samples the source at −0.25, 0.25, 0.75, 1.25, and [0, 1] becomes
  // u = [−0.10546875, 0.2265625, 0.7734375, 1.10546875] (see bicubic-float.resizer.spec). The map
  // [[1, 2], [3, 4]] is 1 + x + 2y, and the resize is separable with weights summing to 1, so pixel
  // (row i, col j) is 1 + u[j] + 2·u[i].
  const u = [-0.10546875, 0.2265625, 0.7734375, 1.10546875];
  const expected4x4 = [0, 1, 2, 3].flatMap((i) => [0, 1, 2, 3].map((j) => 1 + u[j] + 2 * u[i]));

  it.each([
    ['[1, h, w]', [1, 2, 2]],
    ['[1, 1, h, w]', [1, 1, 2, 2]],
  ])('resizes a %s map bicubically (half-pixel centres), as HF post-processing does', (_label, dims) => {
    const out = depthAtOriginalSize(float32Tensor(Float32Array.from([1, 2, 3, 4]), dims), 4, 4);
    expect(out).toHaveLength(16);
    Array.from(out).forEach((v, i) => expect(v).toBeCloseTo(expected4x4[i], 5));
  });

  it('uses only the first map of a batched output', () => {
    const out = depthAtOriginalSize(float32Tensor(Float32Array.from([5, 5, 5, 5, 9, 9, 9, 9]), [2, 2, 2]), 3, 3);
    expect(Array.from(out)).toEqual(new Array(9).fill(5));
  });

  it('returns the map unchanged at the same size', () => {
    const out = depthAtOriginalSize(float32Tensor(Float32Array.from([1, 2, 3, 4, 5, 6]), [1, 2, 3]), 2, 3);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
