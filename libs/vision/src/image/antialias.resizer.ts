import {
  AntialiasFilter,
  AxisWeights,
  FixedPointWeights,
  antialiasAxisWeights,
  toFixedPoint,
} from './antialias.weights.js';
import type { RgbImage } from './rgb-image.js';

/**
 * Antialiased resizes that reproduce torchvision's `resize(..., antialias=True)`, which Hugging Face's
 * image processors call (sharp's kernels differ from it by up to ~160 levels on downscales). Both are
 * separable, horizontal pass first, like torch and Pillow.
 */

/**
 * Interleaved RGB bytes, torch's uint8 path (the AVX kernels HF hits when it resizes before rescaling,
 * e.g. DPT): fixed-point weights, the horizontal pass rounded and clamped to bytes before the vertical one.
 */
export function resizeAntialiasRgb8(image: RgbImage, width: number, height: number, filter: AntialiasFilter): RgbImage {
  if (image.width === width && image.height === height) return image;
  let data = image.data;
  if (width !== image.width) {
    data = horizontal8(data, image.width, image.height, toFixedPoint(antialiasAxisWeights(image.width, width, filter)));
  }
  if (height !== image.height) {
    data = vertical8(data, width, toFixedPoint(antialiasAxisWeights(image.height, height, filter)));
  }
  return { data, width, height };
}

// Sums stay well inside int32 (255 · 2^15 · Σ|w| with Σ|w| < 2), so the passes use int32 arithmetic, and `>>`
// floors like torch's arithmetic shift (negative cubic sums floor, then clamp to 0).
function horizontal8(src: Uint8Array, inWidth: number, rows: number, axis: FixedPointWeights): Uint8Array {
  const { outSize: outWidth, maxTaps, start, count, fixed, precision } = axis;
  const out = new Uint8Array(outWidth * rows * 3);
  const round = precision > 0 ? 1 << (precision - 1) : 0;
  for (let y = 0; y < rows; y++) {
    const row = y * inWidth * 3;
    let o = y * outWidth * 3;
    for (let x = 0; x < outWidth; x++) {
      const base = x * maxTaps;
      const taps = count[x];
      let p = row + start[x] * 3;
      let r = round;
      let g = round;
      let b = round;
      for (let k = 0; k < taps; k++, p += 3) {
        const w = fixed[base + k];
        r = (r + src[p] * w) | 0;
        g = (g + src[p + 1] * w) | 0;
        b = (b + src[p + 2] * w) | 0;
      }
      out[o++] = clampByte(r >> precision);
      out[o++] = clampByte(g >> precision);
      out[o++] = clampByte(b >> precision);
    }
  }
  return out;
}

function vertical8(src: Uint8Array, width: number, axis: FixedPointWeights): Uint8Array {
  const { outSize: outHeight, maxTaps, start, count, fixed, precision } = axis;
  const stride = width * 3;
  const out = new Uint8Array(outHeight * stride);
  const round = precision > 0 ? 1 << (precision - 1) : 0;
  // The row of sums for outputs with more than five taps, made once per call (only downscales need it).
  const acc = maxTaps > FIVE_TAPS ? new Int32Array(stride) : undefined;
  for (let y = 0; y < outHeight; y++) {
    const o = y * stride;
    const first = start[y] * stride;
    const base = y * maxTaps;
    if (acc && count[y] > FIVE_TAPS) {
      verticalRow8(src, out, o, first, acc, fixed.subarray(base, base + count[y]), round, precision);
      continue;
    }
    // Up to five taps (every upscale, and bilinear down to 1/2): written out, with the missing taps given
    // weight 0 on the first row, so each int32 sum is the same as tap by tap.
    const w = (k: number) => (k < count[y] ? fixed[base + k] : 0);
    const row = (k: number) => (k < count[y] ? first + k * stride : first);
    const [w0, w1, w2, w3, w4] = [w(0), w(1), w(2), w(3), w(4)];
    const [r0, r1, r2, r3, r4] = [row(0), row(1), row(2), row(3), row(4)];
    for (let i = 0; i < stride; i++) {
      let sum = (round + src[r0 + i] * w0) | 0;
      sum = (sum + src[r1 + i] * w1) | 0;
      sum = (sum + src[r2 + i] * w2) | 0;
      sum = (sum + src[r3 + i] * w3) | 0;
      sum = (sum + src[r4 + i] * w4) | 0;
      out[o + i] = clampByte(sum >> precision);
    }
  }
  return out;
}

const FIVE_TAPS = 5;

/** One output row of the vertical pass with any number of taps, tap by tap over the row, summed in `acc`. */
function verticalRow8(
  src: Uint8Array,
  out: Uint8Array,
  o: number,
  first: number,
  acc: Int32Array,
  weights: Int32Array,
  round: number,
  precision: number,
): void {
  const stride = acc.length;
  acc.fill(round);
  for (let k = 0; k < weights.length; k++) {
    const w = weights[k];
    const row = first + k * stride;
    for (let i = 0; i < stride; i++) acc[i] = (acc[i] + src[row + i] * w) | 0;
  }
  for (let i = 0; i < stride; i++) out[o + i] = clampByte(acc[i] >> precision);
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** Per-channel (v − mean) / std, applied as each output value is stored. */
export interface Standardize {
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
}

const IDENTITY: Standardize = { mean: [0, 0, 0], std: [1, 1, 1] };

/**
 * Interleaved RGB bytes → planar floats ([3, H, W]), torch's float path for processors that rescale before they
 * resize (DINOv3): weights in floating point, no rounding between the passes. The horizontal pass reads the bytes
 * with the rescale folded into its weights, so the full-size float copy of the image (the bulk of the time on a
 * 640×480 input) is never made; that differs from rescaling first by float rounding only (a few 1e-7 relative:
 * rescale·Σ xw against Σ (rescale·x)w). `standardize` (the processor's normalize step) is applied as the last
 * pass stores each value, which saves a pass over the output and one float32 rounding.
 */
export function resizeAntialiasRgb8ToPlanar(
  image: RgbImage,
  outHeight: number,
  outWidth: number,
  filter: AntialiasFilter,
  rescale: number,
  standardize: Standardize = IDENTITY,
): Float32Array {
  const axis = antialiasAxisWeights(image.width, outWidth, filter);
  const rows = horizontalRgb8ToPlanar(image.data, image.width, image.height, axis, rescale);
  if (outHeight === image.height) return standardizeInPlace(rows, standardize);
  const vertical = antialiasAxisWeights(image.height, outHeight, filter);
  return verticalFloat(rows, image.height, outWidth, vertical, standardize);
}

/** Interleaved RGB bytes → planar [3, rows, outWidth] floats; at equal widths the weights are the identity. */
function horizontalRgb8ToPlanar(
  src: Uint8Array,
  inWidth: number,
  rows: number,
  axis: AxisWeights,
  rescale: number,
): Float32Array {
  const { outSize: outWidth, maxTaps, start, count } = axis;
  const weights = axis.weights.map((w) => w * rescale);
  const plane = rows * outWidth;
  const out = new Float32Array(3 * plane);
  for (let y = 0; y < rows; y++) {
    const row = y * inWidth * 3;
    const o = y * outWidth;
    for (let x = 0; x < outWidth; x++) {
      const base = x * maxTaps;
      const taps = count[x];
      let p = row + start[x] * 3;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < taps; k++, p += 3) {
        const w = weights[base + k];
        r += src[p] * w;
        g += src[p + 1] * w;
        b += src[p + 2] * w;
      }
      out[o + x] = r;
      out[plane + o + x] = g;
      out[2 * plane + o + x] = b;
    }
  }
  return out;
}

/** The vertical pass over three planes, sums in float64, each stored standardised. */
function verticalFloat(
  src: Float32Array,
  inHeight: number,
  width: number,
  axis: AxisWeights,
  standardize: Standardize,
): Float32Array {
  const outHeight = axis.outSize;
  const out = new Float32Array(3 * outHeight * width);
  const acc = new Float64Array(width);
  for (let c = 0; c < 3; c++) {
    const plane = c * inHeight * width;
    const { [c]: mean } = standardize.mean;
    const { [c]: std } = standardize.std;
    for (let y = 0; y < outHeight; y++) {
      const base = y * axis.maxTaps;
      const first = plane + axis.start[y] * width;
      // Every output has at least one tap (the weights cover its centre), so the first one initialises.
      const w0 = axis.weights[base];
      for (let x = 0; x < width; x++) acc[x] = src[first + x] * w0;
      for (let k = 1; k < axis.count[y]; k++) {
        const w = axis.weights[base + k];
        const row = first + k * width;
        for (let x = 0; x < width; x++) acc[x] += src[row + x] * w;
      }
      const o = (c * outHeight + y) * width;
      for (let x = 0; x < width; x++) out[o + x] = (acc[x] - mean) / std;
    }
  }
  return out;
}

function standardizeInPlace(chw: Float32Array, standardize: Standardize): Float32Array {
  if (standardize === IDENTITY) return chw;
  const plane = chw.length / 3;
  for (let c = 0; c < 3; c++) {
    const { [c]: mean } = standardize.mean;
    const { [c]: std } = standardize.std;
    for (let i = c * plane; i < (c + 1) * plane; i++) chw[i] = (chw[i] - mean) / std;
  }
  return chw;
}
