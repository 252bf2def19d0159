import { resizeAreaRgb8 } from './cv2-area.resizer.js';
import type { RgbImage } from './rgb-image.js';

function grayRow(values: number[]): RgbImage {
  return { width: values.length, height: 1, data: Uint8Array.from(values.flatMap((v) => [v, v, v])) };
}

const channel0 = (image: RgbImage) => Array.from({ length: image.width * image.height }, (_, i) => image.data[i * 3]);

describe('resizeAreaRgb8 (cv2 INTER_AREA, downscale)', () => {
  it('averages each output cell over the source pixels it covers, weighted by the covered part', () => {
    // 12 → 5: cells of 2.4 pixels. Cell 0 = [0, 2.4): pixels 0 and 1 whole, 0.4 of pixel 2 →
    // (0 + 20 + 0.4·40)/2.4 = 15; cell 1 = [2.4, 4.8): 0.6 of 40, 60, 0.8 of 80 → (24 + 60 + 64)/2.4 = 61.67 → 62.
    const out = resizeAreaRgb8(grayRow([0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220]), 5, 1);
    // Cell 2 = [4.8, 7.2): 0.2·80 + 100 + 120 + 0.2·140; cell 3 = [7.2, 9.6): 0.8·140 + 160 + 0.6·180.
    const expected = [
      36 / 2.4,
      148 / 2.4,
      (0.2 * 80 + 100 + 120 + 0.2 * 140) / 2.4,
      (0.8 * 140 + 160 + 0.6 * 180) / 2.4,
    ];
    expect(channel0(out).slice(0, 4)).toEqual(expected.map(Math.round));
    // The last cell [9.6, 12): 0.4 of 180, 200, 220 → (72 + 200 + 220)/2.4 = 205.
    expect(channel0(out)[4]).toBe(205);
  });

  it('rounds a tie to the even neighbour, as cvRound does (2 → 1 of [3, 4] gives 3.5 → 4; of [4, 5] 4.5 → 4)', () => {
    expect(channel0(resizeAreaRgb8(grayRow([3, 4]), 1, 1))).toEqual([4]);
    expect(channel0(resizeAreaRgb8(grayRow([4, 5]), 1, 1))).toEqual([4]);
  });

  it('resizes both axes, each channel on its own, and keeps flat colours flat', () => {
    const data = new Uint8Array(7 * 5 * 3);
    for (let i = 0; i < 35; i++) data.set([10, 200, 33], i * 3);
    const out = resizeAreaRgb8({ width: 7, height: 5, data }, 3, 2);
    expect([out.width, out.height]).toEqual([3, 2]);
    for (let i = 0; i < 6; i++) expect(Array.from(out.data.subarray(i * 3, i * 3 + 3))).toEqual([10, 200, 33]);
  });

  it('returns the same image at the same size and refuses to enlarge', () => {
    const image = grayRow([1, 2]);
    expect(resizeAreaRgb8(image, 2, 1)).toBe(image);
    expect(() => resizeAreaRgb8(image, 3, 1)).toThrow(RangeError);
  });
});
