import { decodeSam3Mask } from './sam3-mask.decoder.js';

// A 3×4 image (H=3, W=4) whose mask is the 2×2 block at x ∈ {1,2}, y ∈ {0,1}.
const expected = [0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0];

describe('decodeSam3Mask', () => {
  it('reads dense nested lists row by row', () => {
    const dense = [
      [0, 1, 1, 0],
      [0, 1, 1, 0],
      [0, 0, 0, 0],
    ];
    expect(Array.from(decodeSam3Mask(dense, 3, 4))).toEqual(expected);
  });

  it('decodes COCO RLE: column-major runs [3, 2, 1, 2, 4], stored as "3 2 1 (2−2) (4−1)" = "32103"', () => {
    expect(Array.from(decodeSam3Mask({ size: [3, 4], counts: '32103' }, 3, 4))).toEqual(expected);
  });

  it('rasterises a polygon outline in pixel corners', () => {
    expect(Array.from(decodeSam3Mask([[1, 0, 3, 0, 3, 2, 1, 2]], 3, 4))).toEqual(expected);
  });

  it('refuses an RLE mask of another size than the image', () => {
    expect(() => decodeSam3Mask({ size: [4, 3], counts: '12' }, 3, 4)).toThrow(/3×4, the image 4×3/);
  });
});
