/**
 * Deterministic, spatially even subsampling of valid pixels: the image is cut into step×step cells and each
 * cell keeps its first valid pixel in raster order, with the smallest step that keeps at most `maxPoints`.
 * Taking the first valid pixel of a cell, rather than the cell's corner pixel, means a regular pattern of
 * invalid pixels (say, every other column) cannot alias the sample down to nothing; and a 2-D grid avoids
 * the stripes a raster stride gives when it divides the width.
 *
 * Returns pixel indices in raster order of their cells (plain raster order when nothing is dropped).
 */
export function sampleValidPixels(valid: Uint8Array, width: number, maxPoints: number): number[] {
  const total = valid.reduce((n, v) => n + v, 0);
  // A cell holds at most step² valid pixels, so any step below sqrt(total / maxPoints) keeps too many.
  let step = total <= maxPoints ? 1 : Math.max(2, Math.floor(Math.sqrt(total / maxPoints)));
  for (;;) {
    const kept = firstValidPerCell(valid, width, step);
    if (kept.length <= maxPoints) return kept;
    step++;
  }
}

function firstValidPerCell(valid: Uint8Array, width: number, step: number): number[] {
  const height = valid.length / width;
  const kept: number[] = [];
  for (let top = 0; top < height; top += step) {
    for (let left = 0; left < width; left += step) {
      const index = firstValidInCell(valid, width, Math.min(top + step, height), top, left, step);
      if (index >= 0) kept.push(index);
    }
  }
  return kept;
}

function firstValidInCell(valid: Uint8Array, width: number, bottom: number, top: number, left: number, step: number) {
  const right = Math.min(left + step, width);
  for (let y = top; y < bottom; y++) {
    for (let x = left; x < right; x++) if (valid[y * width + x]) return y * width + x;
  }
  return -1;
}
