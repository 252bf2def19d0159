import { SAM3_PREPROCESSING, preprocessSam3 } from './sam3.preprocess.js';

describe('preprocessSam3', () => {
  it('stretches any image to a 1008 square with mean = std = 0.5', async () => {
    const [width, height] = [400, 100];
    const red = [230, 20, 10];
    const blue = [15, 40, 250];
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) data.set(x < width / 2 ? red : blue, (y * width + x) * 3);
    }
    const tensor = await preprocessSam3({ data, width, height }, SAM3_PREPROCESSING);
    const S = 1008;
    expect(tensor.dims).toEqual([1, 3, S, S]);
    const pixels = tensor.data as Float32Array;
    const at = (c: number, x: number, y: number) => pixels[c * S * S + y * S + x];
    for (let c = 0; c < 3; c++) {
      // Rows far from the top and bottom are image rows: the height was stretched, not letterboxed.
      for (const y of [3, 500, 1004]) {
        expect(at(c, 100, y)).toBeCloseTo(red[c] / 127.5 - 1, 5);
        expect(at(c, 900, y)).toBeCloseTo(blue[c] / 127.5 - 1, 5);
      }
    }
  });

  it('honours another square size', async () => {
    const tensor = await preprocessSam3(
      { data: new Uint8Array(30 * 20 * 3).fill(255), width: 30, height: 20 },
      { ...SAM3_PREPROCESSING, imageSize: 56 },
    );
    expect(tensor.dims).toEqual([1, 3, 56, 56]);
    expect(Array.from(tensor.data as Float32Array).every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
  });
});
