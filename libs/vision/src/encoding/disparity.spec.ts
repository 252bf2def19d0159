import { disparityShift, disparityToDepth } from './disparity.js';

describe('disparityToDepth', () => {
  it('inverts positive disparities without shifting', () => {
    expect(disparityShift(Float32Array.from([0.25, 1, 8]))).toBe(0);
    expect(Array.from(disparityToDepth(Float32Array.from([0.25, 1, 8])))).toEqual([4, 1, 0.125]);
  });

  it('shifts a zero minimum up to 1% of the range, so the farthest point is 101× the nearest', () => {
    const depth = disparityToDepth(Float32Array.from([0, 50, 100]));
    expect(depth[0]).toBeCloseTo(1, 6);
    expect(depth[2]).toBeCloseTo(1 / 101, 6);
    expect(depth[0] / depth[2]).toBeCloseTo(101, 3);
  });

  it('shifts negative minima by −min plus 1% of the range', () => {
    expect(disparityShift(Float32Array.from([-3, 1, 7]))).toBeCloseTo(3 + 0.1, 12);
  });

  it('shifts constant non-positive disparity to 1', () => {
    expect(Array.from(disparityToDepth(Float32Array.from([-2, -2])))).toEqual([1, 1]);
  });

  it('ignores non-finite disparities when choosing the shift and maps them to NaN', () => {
    const depth = disparityToDepth(Float32Array.from([Number.NaN, -Infinity, 2, 4, Infinity]));
    expect(Array.from(depth)).toEqual([Number.NaN, Number.NaN, 0.5, 0.25, Number.NaN]);
  });
});
