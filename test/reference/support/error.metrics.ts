/** Differences between Focal's arrays and the reference's, as the reference tests report them. */

export interface ErrorSummary {
  max: number;
  p999: number;
  count: number;
}

/** Max and 99.9th percentile of |a − b| (NaN anywhere makes both NaN, so a comparison can never pass on NaN). */
export function absoluteErrors(actual: ArrayLike<number>, expected: ArrayLike<number>): ErrorSummary {
  if (actual.length !== expected.length) {
    throw new Error(`length mismatch: Focal has ${actual.length} values, the reference ${expected.length}`);
  }
  const diffs = new Float64Array(actual.length);
  for (let i = 0; i < actual.length; i++) diffs[i] = Math.abs(actual[i] - expected[i]);
  if (diffs.some(Number.isNaN)) return { max: NaN, p999: NaN, count: diffs.length };
  diffs.sort();
  const at = (q: number) => diffs[Math.min(diffs.length - 1, Math.floor(q * (diffs.length - 1) + 0.5))] ?? 0;
  return { max: at(1), p999: at(0.999), count: diffs.length };
}

/** max |a − b| / max |b|: an error relative to the tensor's scale (1 when the reference is all zeros). */
export function relativeToMax(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  return absoluteErrors(actual, expected).max / (scale || 1);
}

/** Normalised pixel_values [3,H,W] back to 8-bit levels (x·std + mean)·255, to compare preprocessing in levels. */
export function toLevels(pixelValues: Float32Array, mean: readonly number[], std: readonly number[]): Float64Array {
  const plane = pixelValues.length / 3;
  const out = new Float64Array(pixelValues.length);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < plane; i++) out[c * plane + i] = (pixelValues[c * plane + i] * std[c] + mean[c]) * 255;
  }
  return out;
}
