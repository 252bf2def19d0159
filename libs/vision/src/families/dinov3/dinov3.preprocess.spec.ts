import { IMAGENET_NORMALIZATION } from '../../image/normalize.js';
import type { RgbImage } from '../../image/rgb-image.js';
import { DINOV3_PREPROCESSING, preprocessDinov3 } from './dinov3.preprocess.js';

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

function image(width: number, height: number, pixel: (x: number, y: number, c: number) => number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = pixel(x, y, c);
  return { data, width, height };
}

describe('preprocessDinov3', () => {
  it('at 224×224 only rescales and normalises, into planar CHW', async () => {
    const input = image(224, 224, (x, y, c) => (x * 3 + y * 5 + c * 70) % 256);
    const tensor = await preprocessDinov3(input, DINOV3_PREPROCESSING);
    expect(tensor.dims).toEqual([1, 3, 224, 224]);
    const data = tensor.data as Float32Array;
    let worst = 0;
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < 224; y++)
        for (let x = 0; x < 224; x++) {
          const expected = (((x * 3 + y * 5 + c * 70) % 256) / 255 - MEAN[c]) / STD[c];
          worst = Math.max(worst, Math.abs(data[c * 224 * 224 + y * 224 + x] - expected));
        }
    expect(worst).toBeLessThan(1e-5);
  });

  it('halves with the antialiased triangle (weights 1/8, 3/8, 3/8, 1/8): a ramp stays a ramp at the new centres', async () => {
    // v(x) = x on a 128-wide ramp; output column i covers input centre 2i + 0.5, so it is (2i + 0.5) / 255
    // before normalisation wherever the four taps are inside the image.
    const input = image(128, 8, (x) => x);
    const config = { ...DINOV3_PREPROCESSING, width: 64, height: 4, normalization: IMAGENET_NORMALIZATION };
    const data = (await preprocessDinov3(input, config)).data as Float32Array;
    let worst = 0;
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < 4; y++)
        for (let i = 1; i < 63; i++) {
          const expected = ((2 * i + 0.5) / 255 - MEAN[c]) / STD[c];
          worst = Math.max(worst, Math.abs(data[c * 64 * 4 + y * 64 + i] - expected));
        }
    expect(worst).toBeLessThan(1e-5);
    // At the left edge the taps outside the image drop out and the rest renormalise: (0·3 + 1·3 + 2·1) / 7.
    expect(data[0]).toBeCloseTo((5 / 7 / 255 - MEAN[0]) / STD[0], 5);
  });
});
