/**
 * Relative disparity (as Depth Anything V2 predicts, with unknown shift and scale) to relative depth.
 *
 * Depth is 1 / disparity. When the smallest finite disparity is not positive, all values are first shifted
 * so that the smallest becomes 1% of the disparity range (or 1 if every value is equal), keeping the
 * farthest points a finite ~100× beyond the nearest instead of at infinity. The result has an arbitrary
 * scale. Non-finite disparities become NaN, which the point-cloud builder skips.
 */
const FAR_PLANE_FRACTION = 0.01;

export function disparityToDepth(disparity: Float32Array): Float32Array {
  const shift = disparityShift(disparity);
  return disparity.map((d) => (Number.isFinite(d) ? 1 / (d + shift) : Number.NaN));
}

/** The amount added to every disparity before inversion; 0 when all finite values are already positive. */
export function disparityShift(disparity: Float32Array): number {
  let min = Infinity;
  let max = -Infinity;
  for (const d of disparity) {
    if (!Number.isFinite(d)) continue;
    min = Math.min(min, d);
    max = Math.max(max, d);
  }
  if (!(min <= 0)) return 0;
  const floor = max > min ? FAR_PLANE_FRACTION * (max - min) : 1;
  return floor - min;
}
