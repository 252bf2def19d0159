import { resizeCubicFixedRgb8 } from './cv2-cubic-fixed.resizer.js';
import type { RgbImage } from './rgb-image.js';

/**
 * OpenCV's `cv2.resize(..., INTER_CUBIC)` on 8-bit RGB as the pip wheel opencv-python-headless 4.12.0.88 runs
 * it when both source sides are ≥ 4 pixels: through IPP (ippiResizeCubic, B = 0, C = 0.75 = Keys' a = −0.75),
 * which for 8u returns exactly the 32f IPP result rounded to nearest (ties to even) and saturated. This
 * reproduces that float32 arithmetic operation for operation, found by probing the 32f IPP path (impulse
 * and random inputs). Checked bit for bit against the 8u wheel: 0 of 25.2 M values differ over the Depth
 * Anything 3 fixture resizes, 60 random images/sizes and 50 DA3-like ones (longest side → 504, sides → ×14);
 * the spec runs the vectors of tools/reference/cv2_cubic_vectors.py. (A plain float32 cubic: ~1 in 15 000.)
 *
 * - taps: position p = (i + ½)·in/out − ½ in double, start s = ⌊p⌋; the fraction goes to float32 and is
 *   then stepped through float32(t + 1), so t lies on a 2⁻²³ grid; the four Keys coefficients of that t are
 *   computed in double and rounded to float32 each (no 1 − sum). Indices are clamped (border replicate).
 * - an output pixel is interior when all its taps fall inside the image on both axes. Interior: horizontal
 *   fma(p0,w0, p3·w3) + fma(p1,w1, p2·w2), then vertical fma(q0,w0, q1·w1) + fma(q2,w2, q3·w3). Border:
 *   horizontal fma(p3,w3, fma(p2,w2, fma(p0,w0, p1·w1))), then vertical (q0·w0 + q2·w2) + (q1·w1 + q3·w3).
 *   Products are float32, fma is one float32 rounding. (IPP's border path is not pinned down completely:
 *   its 32f result still differs by one float32 ulp on ~6% of border pixels, which after rounding to 8 bits
 *   changed none of the values above.)
 *
 * With a source side < 4 pixels cv2 does not call IPP: that goes to its own fixed-point kernel
 * (cv2-cubic-fixed.resizer.ts).
 */
const A = -0.75;
const IPP_MIN_SIDE = 4;

/** Keys' cubic at |x| in [1, 2] and in [0, 1], in double. */
const far = (x: number) => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
const near = (x: number) => ((A + 2) * x - (A + 3)) * x * x + 1;

interface AxisTaps {
  index: Int32Array;
  weight: Float32Array;
  interior: Uint8Array;
}

function axisTaps(inSize: number, outSize: number): AxisTaps {
  const f = Math.fround;
  const scale = inSize / outSize;
  const index = new Int32Array(outSize * 4);
  const weight = new Float32Array(outSize * 4);
  const interior = new Uint8Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const position = (i + 0.5) * scale - 0.5;
    const start = Math.floor(position);
    const t = f(f(position - start) + 1) - 1; // exact: the float32 t + 1 minus 1
    weight.set([far(t + 1), near(t), near(1 - t), far(2 - t)], i * 4);
    for (let k = 0; k < 4; k++) index[i * 4 + k] = Math.min(Math.max(start - 1 + k, 0), inSize - 1);
    interior[i] = start >= 1 && start + 2 <= inSize - 1 ? 1 : 0;
  }
  return { index, weight, interior };
}

/**
 * float32 fused multiply-add: a·b + c with one rounding. a·b of two float32 is exact in double; the double
 * sum can sit exactly halfway between two float32 only by rounding, and then its exact error decides.
 */
function fma32(a: number, b: number, c: number): number {
  const product = a * b;
  const sum = product + c;
  const rounded = Math.fround(sum);
  const other = 2 * sum - rounded;
  if (other === rounded || Math.fround(other) !== other) return rounded;
  const bv = sum - product;
  const error = product - (sum - bv) + (c - bv);
  if (error === 0) return rounded;
  return error > 0 ? Math.max(rounded, other) : Math.min(rounded, other);
}

/** The horizontal pass over every source row, once with IPP's interior and once with its border arithmetic. */
function horizontalPass(image: RgbImage, xs: AxisTaps, width: number) {
  const f = Math.fround;
  const inStride = image.width * 3;
  const outStride = width * 3;
  const interior = new Float32Array(image.height * outStride);
  const border = new Float32Array(image.height * outStride);
  const src = image.data;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < width; x++) {
      const w0 = xs.weight[x * 4];
      const w1 = xs.weight[x * 4 + 1];
      const w2 = xs.weight[x * 4 + 2];
      const w3 = xs.weight[x * 4 + 3];
      for (let c = 0; c < 3; c++) {
        const p0 = src[y * inStride + xs.index[x * 4] * 3 + c];
        const p1 = src[y * inStride + xs.index[x * 4 + 1] * 3 + c];
        const p2 = src[y * inStride + xs.index[x * 4 + 2] * 3 + c];
        const p3 = src[y * inStride + xs.index[x * 4 + 3] * 3 + c];
        const at = y * outStride + x * 3 + c;
        interior[at] = f(fma32(p0, w0, f(p3 * w3)) + fma32(p1, w1, f(p2 * w2)));
        border[at] = fma32(p3, w3, fma32(p2, w2, fma32(p0, w0, f(p1 * w1))));
      }
    }
  }
  return { interior, border };
}

export function resizeCubicCv2Rgb8(image: RgbImage, width: number, height: number): RgbImage {
  if (image.width === width && image.height === height) return image;
  if (Math.min(image.width, image.height) < IPP_MIN_SIDE) return resizeCubicFixedRgb8(image, width, height);
  const f = Math.fround;
  const xs = axisTaps(image.width, width);
  const ys = axisTaps(image.height, height);
  const rows = horizontalPass(image, xs, width);
  const outStride = width * 3;
  const out = new Uint8Array(height * outStride);
  for (let y = 0; y < height; y++) {
    const [r0, r1, r2, r3] = [0, 1, 2, 3].map((k) => ys.index[y * 4 + k] * outStride);
    const [w0, w1, w2, w3] = [0, 1, 2, 3].map((k) => ys.weight[y * 4 + k]);
    for (let x = 0; x < width; x++) {
      const interior = ys.interior[y] === 1 && xs.interior[x] === 1;
      const h = interior ? rows.interior : rows.border;
      for (let c = x * 3; c < x * 3 + 3; c++) {
        const q0 = h[r0 + c];
        const q1 = h[r1 + c];
        const q2 = h[r2 + c];
        const q3 = h[r3 + c];
        const sum = interior
          ? f(fma32(q0, w0, f(q1 * w1)) + fma32(q2, w2, f(q3 * w3)))
          : f(f(f(q0 * w0) + f(q2 * w2)) + f(f(q1 * w1) + f(q3 * w3)));
        out[y * outStride + c] = roundHalfEvenByte(sum);
      }
    }
  }
  return { data: out, width, height };
}

function roundHalfEvenByte(v: number): number {
  const floor = Math.floor(v);
  const diff = v - floor;
  const rounded = diff > 0.5 ? floor + 1 : diff < 0.5 ? floor : floor % 2 === 0 ? floor : floor + 1;
  return rounded < 0 ? 0 : rounded > 255 ? 255 : rounded;
}
