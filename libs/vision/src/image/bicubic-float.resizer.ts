import { FourTaps, bicubicFloat } from '../wasm/resize.kernels.js';

/**
 * Bicubic resize of a single-channel float map as torch.nn.functional.interpolate(mode="bicubic",
 * align_corners=False) computes it, which is what HF's post_process_depth_estimation calls: Keys' cubic
 * convolution with a = −0.75, half-pixel source coordinates that are not clamped, and taps outside the map
 * read the nearest edge value. No antialiasing, so a downscale samples. Values may overshoot the source
 * range, as torch's do.
 */
const A = -0.75;

function cubicWeights(t: number, out: Float64Array, offset: number): void {
  const x1 = t + 1;
  const x2 = t;
  const x3 = 1 - t;
  const x4 = 2 - t;
  out[offset] = ((A * x1 - 5 * A) * x1 + 8 * A) * x1 - 4 * A;
  out[offset + 1] = ((A + 2) * x2 - (A + 3)) * x2 * x2 + 1;
  out[offset + 2] = ((A + 2) * x3 - (A + 3)) * x3 * x3 + 1;
  out[offset + 3] = ((A * x4 - 5 * A) * x4 + 8 * A) * x4 - 4 * A;
}

/** For each output index, the 4 (edge-clamped) source indices and their weights. */
export function bicubicAxisTaps(inSize: number, outSize: number): FourTaps {
  const index = new Int32Array(outSize * 4);
  const weight = new Float64Array(outSize * 4);
  const scale = inSize / outSize;
  for (let i = 0; i < outSize; i++) {
    const real = scale * (i + 0.5) - 0.5;
    const floor = Math.floor(real);
    cubicWeights(real - floor, weight, i * 4);
    for (let k = 0; k < 4; k++) index[i * 4 + k] = Math.min(Math.max(floor - 1 + k, 0), inSize - 1);
  }
  return { index, weight };
}

export function resizeBicubicFloat(
  src: Float32Array,
  srcHeight: number,
  srcWidth: number,
  dstHeight: number,
  dstWidth: number,
): Float32Array {
  if (src.length < srcHeight * srcWidth) {
    throw new RangeError(`expected ${srcHeight}×${srcWidth} values, got ${src.length}`);
  }
  // torch copies the input when the size does not change.
  if (srcHeight === dstHeight && srcWidth === dstWidth) return src.slice(0, srcHeight * srcWidth);
  const xs = bicubicAxisTaps(srcWidth, dstWidth);
  const ys = bicubicAxisTaps(srcHeight, dstHeight);
  // Horizontal pass on every source row, then vertical: the same sums as torch's 4×4 stencil, tap by tap in
  // the same order (in WebAssembly, wasm/resize.kernels.ts).
  return bicubicFloat(src, srcHeight, srcWidth, xs, ys);
}
