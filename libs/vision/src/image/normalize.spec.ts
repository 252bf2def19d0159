import { HALF_NORMALIZATION, IMAGENET_NORMALIZATION, Normalization, toChwFloat32 } from './normalize.js';
import type { RgbImage } from './rgb-image.js';

/** A 3×2 image whose channels are distinct known bytes, so planar placement can be checked. */
function image(): RgbImage {
  // pixel i (row-major) = [r, g, b]
  const pixels = [
    [0, 128, 255],
    [10, 20, 30],
    [255, 0, 64],
    [1, 2, 3],
    [100, 150, 200],
    [254, 253, 252],
  ];
  return { width: 3, height: 2, data: Uint8Array.from(pixels.flat()) };
}

describe('toChwFloat32', () => {
  it('lays the interleaved RGB bytes out as planes [3, H, W] with (x·rescale − mean)/std per channel', () => {
    const norm: Normalization = { mean: [0.1, 0.2, 0.3], std: [0.5, 0.25, 2], rescale: 1 / 100 };
    const img = image();
    const out = toChwFloat32(img, norm);
    expect(out).toHaveLength(3 * 6);
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < 6; i++) {
        const expected = (img.data[i * 3 + c] / 100 - norm.mean[c]) / norm.std[c];
        expect(out[c * 6 + i]).toBeCloseTo(expected, 5);
      }
    }
  });

  it('gives every byte value, in every channel, exactly the float32 of (x·rescale − mean)/std computed in full', () => {
    const data = Uint8Array.from({ length: 256 * 3 }, (_, i) => Math.floor(i / 3));
    const out = toChwFloat32({ width: 256, height: 1, data }, IMAGENET_NORMALIZATION);
    let different = 0;
    for (let c = 0; c < 3; c++) {
      const scale = IMAGENET_NORMALIZATION.rescale / IMAGENET_NORMALIZATION.std[c];
      const shift = IMAGENET_NORMALIZATION.mean[c] / IMAGENET_NORMALIZATION.std[c];
      for (let v = 0; v < 256; v++) if (out[c * 256 + v] !== Math.fround(v * scale - shift)) different++;
    }
    expect(different).toBe(0);
  });

  it('maps 0 and 255 to −1 and +1 with mean = std = 0.5', () => {
    const out = toChwFloat32(
      { width: 2, height: 1, data: Uint8Array.from([0, 0, 0, 255, 255, 255]) },
      HALF_NORMALIZATION,
    );
    expect(Array.from(out).map((v) => Number(v.toFixed(6)))).toEqual([-1, 1, -1, 1, -1, 1]);
  });

  it('applies the ImageNet statistics channel by channel', () => {
    // One white pixel: (1 − mean_c)/std_c.
    const out = toChwFloat32({ width: 1, height: 1, data: Uint8Array.from([255, 255, 255]) }, IMAGENET_NORMALIZATION);
    expect(out[0]).toBeCloseTo((1 - 0.485) / 0.229, 5);
    expect(out[1]).toBeCloseTo((1 - 0.456) / 0.224, 5);
    expect(out[2]).toBeCloseTo((1 - 0.406) / 0.225, 5);
  });

  it('uses the per-channel mean, not a shared one: a mean-coloured pixel becomes all zeros', () => {
    const norm: Normalization = { mean: [0.2, 0.4, 0.6], std: [0.3, 0.3, 0.3], rescale: 1 / 255 };
    const out = toChwFloat32({ width: 1, height: 1, data: Uint8Array.from([51, 102, 153]) }, norm);
    for (const v of out) expect(v).toBeCloseTo(0, 5);
  });
});
