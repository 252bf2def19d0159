import { packMaskBits } from './mask-bits.encoder.js';
import { randomMask, seededRandom } from './spec-support.js';

/** Unpacks as np.unpackbits does (MSB first), written from its description rather than from the encoder. */
function unpack(bytes: Uint8Array, count: number): number[] {
  const bits: number[] = [];
  for (const byte of bytes) for (let bit = 7; bit >= 0; bit--) bits.push((byte >> bit) & 1);
  return bits.slice(0, count);
}

describe('packMaskBits', () => {
  it('puts the first pixel in the most significant bit and pads the last byte with zeros', () => {
    const mask = Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0]);
    expect(Array.from(packMaskBits(mask, 1, 11))).toEqual([0b10000001, 0b11000000]);
  });

  it('unpacks back to the dense mask for odd sizes and densities', () => {
    const random = seededRandom(7);
    for (const [height, width, density] of [
      [1, 1, 1],
      [3, 5, 0.5],
      [17, 13, 0.1],
      [480, 640, 0.7],
    ]) {
      const mask = randomMask(height, width, density, random);
      const packed = packMaskBits(mask, height, width);
      expect(packed.length).toBe(Math.ceil((height * width) / 8));
      expect(unpack(packed, height * width)).toEqual(Array.from(mask));
    }
  });

  it('refuses a mask that is not 0/1 or not H×W', () => {
    expect(() => packMaskBits(Uint8Array.from([0, 255]), 1, 2)).toThrow(RangeError);
    expect(() => packMaskBits(Uint8Array.from([0, 1, 1]), 1, 2)).toThrow(RangeError);
  });
});
