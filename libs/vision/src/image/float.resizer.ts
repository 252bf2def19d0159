/**
 * Bilinear resize of a single-channel float map with align_corners=False (half-pixel centres),
 * the convention of torch.nn.functional.interpolate and of the reference post-processing.
 * No antialiasing, like interpolate's default: downscaling samples, it does not average.
 */
export function resizeBilinearFloat(
  src: Float32Array,
  srcHeight: number,
  srcWidth: number,
  dstHeight: number,
  dstWidth: number,
): Float32Array {
  if (srcHeight === dstHeight && srcWidth === dstWidth) return src.slice();
  const out = new Float32Array(dstHeight * dstWidth);
  const xs = axisSamples(srcWidth, dstWidth);
  const ys = axisSamples(srcHeight, dstHeight);
  for (let y = 0; y < dstHeight; y++) {
    const row0 = ys.lo[y] * srcWidth;
    const row1 = ys.hi[y] * srcWidth;
    const wy = ys.weight[y];
    for (let x = 0; x < dstWidth; x++) {
      const wx = xs.weight[x];
      const top = src[row0 + xs.lo[x]] * (1 - wx) + src[row0 + xs.hi[x]] * wx;
      const bottom = src[row1 + xs.lo[x]] * (1 - wx) + src[row1 + xs.hi[x]] * wx;
      out[y * dstWidth + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}

/** For each output index: the two source indices and the weight of the upper one. */
function axisSamples(srcSize: number, dstSize: number) {
  const lo = new Int32Array(dstSize);
  const hi = new Int32Array(dstSize);
  const weight = new Float32Array(dstSize);
  const scale = srcSize / dstSize;
  for (let i = 0; i < dstSize; i++) {
    const position = Math.max((i + 0.5) * scale - 0.5, 0);
    const low = Math.min(Math.floor(position), srcSize - 1);
    lo[i] = low;
    hi[i] = Math.min(low + 1, srcSize - 1);
    weight[i] = position - low;
  }
  return { lo, hi, weight };
}
