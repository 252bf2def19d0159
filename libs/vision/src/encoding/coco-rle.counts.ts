import { assertBinaryMask, assertImageSize } from './binary-mask.js';

/**
 * Uncompressed COCO run-lengths of a row-major mask, read in column-major (Fortran) order as pycocotools does.
 * Invariants: runs alternate 0,1,0,… starting with a zero-run (so counts[0] is 0 when pixel (0,0) is set),
 * every run after the first is ≥ 1, and the counts sum to height×width.
 */
export function rleCountsColumnMajor(mask: Uint8Array, height: number, width: number): number[] {
  assertBinaryMask(mask, height, width);
  const counts: number[] = [];
  let current = 0;
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      const v = mask[y * width + x];
      if (v !== current) {
        counts.push(run);
        run = 0;
        current = v;
      }
      run++;
    }
  }
  counts.push(run);
  return counts;
}

/** Inverse of {@link rleCountsColumnMajor}: rebuilds the row-major mask, rejecting counts that do not tile it. */
export function maskFromColumnMajorCounts(counts: readonly number[], height: number, width: number): Uint8Array {
  assertImageSize(height, width);
  assertCountsTile(counts, height * width);
  const mask = new Uint8Array(height * width);
  let position = 0;
  counts.forEach((run, i) => {
    if (i % 2 === 1) fillColumnMajorRun(mask, position, run, height, width);
    position += run;
  });
  return mask;
}

function fillColumnMajorRun(mask: Uint8Array, start: number, length: number, height: number, width: number): void {
  for (let p = start; p < start + length; p++) {
    mask[(p % height) * width + Math.floor(p / height)] = 1;
  }
}

function assertCountsTile(counts: readonly number[], pixels: number): void {
  const bad = counts.findIndex((c) => !Number.isSafeInteger(c) || c < 0);
  if (bad >= 0) throw new RangeError(`RLE count ${counts[bad]} at index ${bad} is not a non-negative integer`);
  const total = counts.reduce((sum, c) => sum + c, 0);
  if (total !== pixels) throw new RangeError(`RLE counts sum to ${total}, but the mask has ${pixels} pixels`);
}
