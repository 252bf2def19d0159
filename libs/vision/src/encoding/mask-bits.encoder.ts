import { assertBinaryMask } from './binary-mask.js';

/**
 * Packs a row-major H×W 0/1 mask into bits, 8 pixels a byte, the first pixel in the most significant bit,
 * the last byte zero-padded: NumPy's `np.packbits(mask.ravel())` (its default bit order, "big").
 * Unpack with `np.unpackbits(bytes)[:h * w].reshape(h, w)`.
 */
export function packMaskBits(mask: Uint8Array, height: number, width: number): Uint8Array {
  assertBinaryMask(mask, height, width);
  const out = new Uint8Array(Math.ceil(mask.length / 8));
  const whole = mask.length & ~7;
  let i = 0;
  for (; i < whole; i += 8) {
    out[i >> 3] =
      (mask[i] << 7) |
      (mask[i + 1] << 6) |
      (mask[i + 2] << 5) |
      (mask[i + 3] << 4) |
      (mask[i + 4] << 3) |
      (mask[i + 5] << 2) |
      (mask[i + 6] << 1) |
      mask[i + 7];
  }
  for (; i < mask.length; i++) out[i >> 3] |= mask[i] << (7 - (i & 7));
  return out;
}
