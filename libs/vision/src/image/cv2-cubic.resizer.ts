import type { RgbImage } from './rgb-image.js';

/**
 * OpenCV's `cv2.resize(..., INTER_CUBIC)` on 8-bit images as the pip wheels run it (through IPP), which
 * Depth Anything 3's InputProcessor uses to enlarge: Keys' cubic with a = −0.75 at half-pixel source positions
 * (s·(i + ½) − ½), edge taps clamped to the border pixel, no antialias; coefficients, the horizontal pass and
 * the vertical pass in float32, one rounding at the end (to nearest, ties to even) and saturation to 0..255.
 * Checked against cv2 4.12: 2 of 29 700 values differ, by 1. (With IPP off, OpenCV's own fixed-point kernel
 * differs from this on ~4% of values, by 1.)
 */
const A = Math.fround(-0.75);

function cubicCoefficients(t: number, out: Float32Array, at: number): void {
  const f = Math.fround;
  const x1 = f(t + 1);
  const x2 = t;
  const x3 = f(1 - t);
  const c0 = f(f(f(f(f(f(A * x1) - f(5 * A)) * x1) + f(8 * A)) * x1) - f(4 * A));
  const c1 = f(f(f(f(f(f(A + 2) * x2) - f(A + 3)) * x2) * x2) + 1);
  const c2 = f(f(f(f(f(f(A + 2) * x3) - f(A + 3)) * x3) * x3) + 1);
  out[at] = c0;
  out[at + 1] = c1;
  out[at + 2] = c2;
  out[at + 3] = f(f(f(1 - c0) - c1) - c2);
}

function axisTaps(inSize: number, outSize: number) {
  const scale = inSize / outSize;
  const index = new Int32Array(outSize * 4);
  const weight = new Float32Array(outSize * 4);
  for (let i = 0; i < outSize; i++) {
    const position = Math.fround((i + 0.5) * scale - 0.5);
    const start = Math.floor(position);
    cubicCoefficients(Math.fround(position - start), weight, i * 4);
    for (let k = 0; k < 4; k++) index[i * 4 + k] = Math.min(Math.max(start - 1 + k, 0), inSize - 1);
  }
  return { index, weight };
}

export function resizeCubicCv2Rgb8(image: RgbImage, width: number, height: number): RgbImage {
  if (image.width === width && image.height === height) return image;
  const f = Math.fround;
  const xs = axisTaps(image.width, width);
  const ys = axisTaps(image.height, height);
  const inStride = image.width * 3;
  const outStride = width * 3;
  const rows = new Float32Array(image.height * outStride);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let k = 0; k < 4; k++) {
          sum = f(sum + f(image.data[y * inStride + xs.index[x * 4 + k] * 3 + c] * xs.weight[x * 4 + k]));
        }
        rows[y * outStride + x * 3 + c] = sum;
      }
    }
  }
  const out = new Uint8Array(height * outStride);
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < outStride; i++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) sum = f(sum + f(rows[ys.index[y * 4 + k] * outStride + i] * ys.weight[y * 4 + k]));
      out[y * outStride + i] = roundHalfEvenByte(sum);
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
