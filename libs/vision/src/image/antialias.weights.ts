/**
 * Separable resampling weights with the antialias rule of PIL and of torch's `antialias=True`
 * (`_compute_indices_min_size_weights_aa` in aten/src/ATen/native/cpu/UpSampleKernel.cpp, itself a port of
 * Pillow's ImagingResample): output i is centred on source coordinate scale·(i + 0.5); when downscaling the
 * filter's support is stretched by the scale (so it averages instead of sampling), and the taps that fall
 * inside the image are renormalised to sum to 1 (edges are not padded or clamped).
 */
export type AntialiasFilter = 'bilinear' | 'bicubic';

/** Half-width of the filter at scale 1: the triangle spans ±1, the cubic ±2. */
const FILTER_RADIUS: Record<AntialiasFilter, number> = { bilinear: 1, bicubic: 2 };

/** Keys' cubic convolution with a = −0.5, the value torch and PIL use when antialiasing (not −0.75). */
const CUBIC_A = -0.5;

export function antialiasFilterValue(filter: AntialiasFilter, x: number): number {
  const t = Math.abs(x);
  if (filter === 'bilinear') return t < 1 ? 1 - t : 0;
  if (t < 1) return ((CUBIC_A + 2) * t - (CUBIC_A + 3)) * t * t + 1;
  if (t < 2) return ((CUBIC_A * t - 5 * CUBIC_A) * t + 8 * CUBIC_A) * t - 4 * CUBIC_A;
  return 0;
}

/** For every output index: the first source index, the tap count, and `maxTaps` weights per output (zero-padded). */
export interface AxisWeights {
  readonly outSize: number;
  readonly maxTaps: number;
  readonly start: Int32Array;
  readonly count: Int32Array;
  readonly weights: Float64Array;
  /** The largest normalised weight, which torch's uint8 path uses to pick its fixed-point precision. */
  readonly maxWeight: number;
}

export function antialiasAxisWeights(inSize: number, outSize: number, filter: AntialiasFilter): AxisWeights {
  if (!(inSize >= 1 && outSize >= 1)) throw new RangeError(`sizes must be ≥ 1, got ${inSize} → ${outSize}`);
  const scale = inSize / outSize;
  const radius = FILTER_RADIUS[filter];
  const support = scale >= 1 ? radius * scale : radius;
  const invScale = scale >= 1 ? 1 / scale : 1;
  const maxTaps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * maxTaps);
  let maxWeight = 0;
  for (let i = 0; i < outSize; i++) {
    const center = scale * (i + 0.5);
    // Math.trunc matches C++'s static_cast<int64_t> (towards zero), as torch writes it.
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xsize = Math.min(Math.max(Math.min(Math.trunc(center + support + 0.5), inSize) - xmin, 0), maxTaps);
    let total = 0;
    const base = i * maxTaps;
    for (let j = 0; j < xsize; j++) {
      const w = antialiasFilterValue(filter, (j + xmin - center + 0.5) * invScale);
      weights[base + j] = w;
      total += w;
    }
    if (total !== 0) {
      for (let j = 0; j < xsize; j++) {
        weights[base + j] /= total;
        maxWeight = Math.max(maxWeight, weights[base + j]);
      }
    }
    start[i] = xmin;
    count[i] = xsize;
  }
  return { outSize, maxTaps, start, count, weights, maxWeight };
}

/** Fixed-point weights for 8-bit data, exactly as torch's uint8 kernels (and Pillow-SIMD) round them. */
export interface FixedPointWeights extends AxisWeights {
  readonly precision: number;
  readonly fixed: Int32Array;
}

export function toFixedPoint(axis: AxisWeights): FixedPointWeights {
  // The largest precision (< 22 bits) for which the biggest weight still fits in an int16.
  let precision = 0;
  for (; precision < 22; precision++) {
    const next = Math.trunc(0.5 + axis.maxWeight * 2 ** (precision + 1));
    if (next >= 1 << 15) break;
  }
  const fixed = new Int32Array(axis.weights.length);
  const unit = 2 ** precision;
  axis.weights.forEach((w, k) => {
    const v = w * unit;
    fixed[k] = v < 0 ? Math.trunc(-0.5 + v) : Math.trunc(0.5 + v);
  });
  return { ...axis, precision, fixed };
}
