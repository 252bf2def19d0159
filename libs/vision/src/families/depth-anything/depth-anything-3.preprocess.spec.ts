import {
  DEPTH_ANYTHING_3_PREPROCESSING,
  da3BoundarySize,
  da3InputSize,
  nearestMultiple,
  preprocessDepthAnything3,
} from './depth-anything-3.preprocess.js';

describe('Depth Anything 3 preprocessing sizes (InputProcessor, 504, upper_bound_resize)', () => {
  it.each([
    // [h, w] → boundary size (longest side 504, Python round half-even) → nearest multiples of 14
    [480, 640, [378, 504], [378, 504]],
    // 720·0.39375 = 283.5 → 284 (even), then 284 → 280 (280 is 4 away, 294 is 10)
    [720, 1280, [284, 504], [280, 504]],
    // 333·1.008 = 335.664 → 336 = 24·14
    [500, 333, [504, 336], [504, 336]],
    // 17·0.56 = 9.52 → 10, then 10 → 14 (4 up vs 10 down)
    [900, 17, [504, 10], [504, 14]],
    [1, 1, [504, 504], [504, 504]],
  ])('%d×%d → %j → %j', (h, w, boundary, input) => {
    expect(da3BoundarySize(h, w, 504)).toEqual(boundary);
    expect(da3InputSize(h, w, DEPTH_ANYTHING_3_PREPROCESSING)).toEqual(input);
  });

  it('rounds a tie between two multiples up, as the package does (7 → 14, 21 → 28)', () => {
    expect(nearestMultiple(7, 14)).toBe(14);
    expect(nearestMultiple(21, 14)).toBe(28);
    expect(nearestMultiple(20, 14)).toBe(14);
  });

  it('keeps an image whose longest side is already 504 and normalises it with ImageNet statistics', () => {
    const data = new Uint8Array(504 * 14 * 3).fill(255);
    const tensor = preprocessDepthAnything3({ width: 504, height: 14, data }, DEPTH_ANYTHING_3_PREPROCESSING);
    expect(tensor.dims).toEqual([1, 3, 14, 504]);
    expect((tensor.data as Float32Array)[0]).toBeCloseTo((1 - 0.485) / 0.229, 5);
  });
});
