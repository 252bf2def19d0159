import { IMAGENET_NORMALIZATION } from '../../image/normalize.js';
import {
  DEPTH_ANYTHING_PREPROCESSING,
  DepthPreprocessing,
  dptOutputSize,
  preprocessDepth,
  roundHalfEven,
} from './depth-anything.preprocess.js';

describe('roundHalfEven (Python round)', () => {
  it.each([
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [3.5, 4],
    [36.5, 36],
    [37.5, 38],
    [-0.5, 0],
    [-1.5, -2],
    [-2.5, -2],
    [2.4999, 2],
    [2.5001, 3],
    [7, 7],
    [-3, -3],
  ])('round(%d) = %d', (value, expected) => {
    expect(roundHalfEven(value)).toBe(expected);
  });
});

describe('dptOutputSize with the Depth Anything V2 config (518, keep aspect, ×14)', () => {
  // HF/TJS DPT rule (model-contracts.md §3): sh = 518/h, sw = 518/w; both axes use whichever scale is
  // closer to 1 (ties fit the height); each side = round_half_even(scale·side / 14)·14.
  it.each([
    // [h, w] → [H, W]                  derivation
    [518, 518, 518, 518], //            scale 1 on both
    [480, 640, 518, 686], //            sh 1.079 (|0.079|) beats sw 0.809 (|0.191|); 640·518/480 = 690.67 → 49.33 → 49·14
    [640, 480, 686, 518], //            the portrait transpose of the previous row
    [1080, 1920, 518, 924], //          sh 0.480 (|0.520|) beats sw 0.270; 1920·518/1080 = 920.89 → 65.78 → 66·14
    [1920, 1080, 924, 518], //          portrait transpose
    [518, 511, 518, 504], //            scale 1; 511/14 = 36.5 → 36 (even), half-up would give 518
    [518, 539, 518, 532], //            scale 1; 539/14 = 38.5 → 38 (even), half-up would give 546
    [518, 525, 518, 532], //            scale 1; 525/14 = 37.5 → 38 (even), same as half-up
    [511, 518, 504, 518], //            sw = 1 is closest; 511/14 = 36.5 → 36
    [294, 1036, 140, 518], //           sw 0.5 (|0.5|) beats sh 1.762; 147/14 = 10.5 → 10, half-up would give 154
    [1036, 294, 518, 140], //           portrait transpose
    [322, 1036, 168, 518], //           sw 0.5; 161/14 = 11.5 → 12 (even)
    [296, 2072, 518, 3626], //          tie: sh 1.75 and sw 0.25 are both 0.75 from 1 → fit height; 2072·1.75 = 3626 = 259·14
    [100, 100, 518, 518], //            square upscale
  ])('(%d, %d) → (%d, %d)', (h, w, expectedH, expectedW) => {
    expect(dptOutputSize(h, w, DEPTH_ANYTHING_PREPROCESSING)).toEqual([expectedH, expectedW]);
  });

  it('always gives sides that are positive multiples of 14', () => {
    for (const [h, w] of [
      [1, 1],
      [3, 4000],
      [4000, 3],
      [333, 777],
      [1234, 567],
    ]) {
      for (const side of dptOutputSize(h, w, DEPTH_ANYTHING_PREPROCESSING)) {
        expect(side).toBeGreaterThan(0);
        expect(side % 14).toBe(0);
      }
    }
  });

  it('rounds a side that would round to 0 up to one multiple instead', () => {
    // (14, 1036): sw = 0.5 wins; 14·0.5 = 7 → 7/14 = 0.5 → half-even 0. HF's constrain_to_multiple_of
    // would return 0 here (min_val = 0); Focal returns the smallest usable size, 14.
    expect(dptOutputSize(14, 1036, DEPTH_ANYTHING_PREPROCESSING)).toEqual([14, 518]);
  });

  it('without keep-aspect, stretches both sides to the target size', () => {
    const config: DepthPreprocessing = { ...DEPTH_ANYTHING_PREPROCESSING, keepAspectRatio: false };
    expect(dptOutputSize(480, 640, config)).toEqual([518, 518]);
  });

  it('honours another size and multiple', () => {
    // 384 / 32: (480, 640) → sh 0.8 (|0.2|) beats sw 0.6 → 384 and 512 (both exact multiples of 32).
    const config: DepthPreprocessing = { ...DEPTH_ANYTHING_PREPROCESSING, size: 384, multipleOf: 32 };
    expect(dptOutputSize(480, 640, config)).toEqual([384, 512]);
  });
});

describe('preprocessDepth', () => {
  it('resizes to the DPT size and normalizes with ImageNet statistics into [1, 3, H, W]', async () => {
    // 10×20 (h×w): sw = 25.9 is closer to 1 than sh = 51.8 → 259 → 259/14 = 18.5 → 18·14 = 252, and 518.
    const width = 20;
    const height = 10;
    const colour = [255, 0, 128];
    const data = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) data.set(colour, i * 3);
    const tensor = await preprocessDepth({ width, height, data }, DEPTH_ANYTHING_PREPROCESSING);
    expect(tensor.dtype).toBe('float32');
    expect(tensor.dims).toEqual([1, 3, 252, 518]);
    const plane = 252 * 518;
    expect(tensor.data).toHaveLength(3 * plane);
    const f = tensor.data as Float32Array;
    for (let c = 0; c < 3; c++) {
      const expected = (colour[c] / 255 - IMAGENET_NORMALIZATION.mean[c]) / IMAGENET_NORMALIZATION.std[c];
      for (const i of [0, 1234, plane - 1]) expect(f[c * plane + i]).toBeCloseTo(expected, 4);
    }
  });
});
