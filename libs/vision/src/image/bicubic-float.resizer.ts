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
function axisTaps(inSize: number, outSize: number) {
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
  const xs = axisTaps(srcWidth, dstWidth);
  const ys = axisTaps(srcHeight, dstHeight);
  // Horizontal pass on every source row, then vertical: the same sums as torch's 4×4 stencil, tap by tap in
  // the same order; the four taps are written out, and the vertical pass runs along whole rows.
  const rows = new Float64Array(srcHeight * dstWidth);
  const { index: xi, weight: xw } = xs;
  for (let y = 0; y < srcHeight; y++) {
    const row = y * srcWidth;
    const o = y * dstWidth;
    for (let x = 0, t = 0; x < dstWidth; x++, t += 4) {
      rows[o + x] =
        src[row + xi[t]] * xw[t] +
        src[row + xi[t + 1]] * xw[t + 1] +
        src[row + xi[t + 2]] * xw[t + 2] +
        src[row + xi[t + 3]] * xw[t + 3];
    }
  }
  const out = new Float32Array(dstHeight * dstWidth);
  for (let y = 0, t = 0; y < dstHeight; y++, t += 4) {
    const [r0, r1, r2, r3] = [0, 1, 2, 3].map((k) => ys.index[t + k] * dstWidth);
    const [w0, w1, w2, w3] = [0, 1, 2, 3].map((k) => ys.weight[t + k]);
    const o = y * dstWidth;
    for (let x = 0; x < dstWidth; x++) {
      out[o + x] = rows[r0 + x] * w0 + rows[r1 + x] * w1 + rows[r2 + x] * w2 + rows[r3 + x] * w3;
    }
  }
  return out;
}
