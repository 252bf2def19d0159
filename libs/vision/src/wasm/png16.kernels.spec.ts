import { png16Scanlines } from './png16.kernels.js';

/** The scanline arithmetic in plain JavaScript: Math.round, a finiteness test, Sub differences per byte. */
function reference(values: Float32Array, height: number, width: number) {
  const finite = Array.from(values).filter(Number.isFinite);
  const [min, max] = finite.length > 0 ? [Math.min(...finite), Math.max(...finite)] : [0, 0];
  const range = max - min;
  const out = new Uint8Array(height * (1 + 2 * width));
  for (let y = 0; y < height; y++) {
    let o = y * (1 + 2 * width);
    out[o++] = 1;
    let [leftHigh, leftLow] = [0, 0];
    for (let x = 0; x < width; x++) {
      const v = values[y * width + x];
      const level = Number.isFinite(v)
        ? range > 0
          ? Math.round(((v - min) / range) * 65535)
          : 0
        : v === Infinity
          ? 65535
          : 0;
      out[o++] = ((level >> 8) - leftHigh) & 0xff;
      out[o++] = ((level & 0xff) - leftLow) & 0xff;
      [leftHigh, leftLow] = [level >> 8, level & 0xff];
    }
  }
  return { scanlines: out, min, max };
}

describe('png16Scanlines (WebAssembly)', () => {
  it('matches the scalar arithmetic on a smooth map with NaN and ±∞ in it', () => {
    const [height, width] = [37, 53];
    const values = Float32Array.from({ length: height * width }, (_, i) => Math.sin(i / 40) * 3 + i / 500);
    values[5] = NaN;
    values[77] = Infinity;
    values[78] = -Infinity;
    expect(png16Scanlines(values, height, width)).toEqual(reference(values, height, width));
  });

  it('rounds ties up, as Math.round does: 0.5/65535 steps land on the upper level', () => {
    // min 0, max 65535: v maps to v itself, so 1.5 → 2, 2.5 → 3 (not ties-to-even 2), 65534.5 → 65535.
    const values = Float32Array.from([0, 1.5, 2.5, 3.25, 65534.5, 65535]);
    const { scanlines } = png16Scanlines(values, 1, values.length);
    const levels: number[] = [];
    for (let x = 0, high = 0, low = 0; x < values.length; x++) {
      high = (high + scanlines[1 + 2 * x]) & 0xff;
      low = (low + scanlines[2 + 2 * x]) & 0xff;
      levels.push(high * 256 + low);
    }
    expect(levels).toEqual([0, 2, 3, 3, 65535, 65535]);
  });

  it('maps a constant map to 0 and a map with no finite value to min = max = 0', () => {
    expect(png16Scanlines(Float32Array.from([4, 4, 4]), 1, 3)).toEqual(reference(Float32Array.from([4, 4, 4]), 1, 3));
    const none = png16Scanlines(Float32Array.from([NaN, Infinity]), 1, 2);
    expect([none.min, none.max]).toEqual([0, 0]);
    expect(Array.from(none.scanlines)).toEqual([1, 0, 0, 255, 255]);
  });
});
