import { encode } from 'fast-png';

import { assertImageSize } from './binary-mask.js';

export interface Png16Result {
  /** 16-bit grayscale PNG (colour type 0, bit depth 16). */
  png: Uint8Array;
  /** The finite input value stored as 0; 0 when there is no finite value. */
  min: number;
  /** The finite input value stored as 65535; equals `min` for constant input. */
  max: number;
}

const WHITE = 65535;

/**
 * Min–max normalises a row-major H×W float map into a 16-bit grayscale PNG: a finite value v becomes
 * round((v − min) / (max − min) · 65535), with min and max taken over finite values only and returned so
 * callers can undo the mapping. Explicit rules for the rest:
 * - constant input (max = min) maps every finite value to 0, since there is no range to spread;
 * - NaN and −Infinity map to 0, +Infinity to 65535, so non-finite values never widen the range.
 */
export function encodePng16(values: Float32Array, height: number, width: number): Png16Result {
  assertImageSize(height, width);
  if (values.length !== height * width) {
    throw new RangeError(`Got ${values.length} values but height×width is ${height}×${width}=${height * width}`);
  }
  const { min, max } = finiteRange(values);
  const data = new Uint16Array(values.length);
  values.forEach((v, i) => (data[i] = toLevel(v, min, max)));
  return { png: encode({ width, height, data, depth: 16, channels: 1 }), min, max };
}

function toLevel(v: number, min: number, max: number): number {
  if (Number.isNaN(v) || v === -Infinity) return 0;
  if (v === Infinity) return WHITE;
  return max > min ? Math.round(((v - min) / (max - min)) * WHITE) : 0;
}

function finiteRange(values: Float32Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : { min: 0, max: 0 };
}
