/** COCO RLE as Focal sends it: `size` is [height, width], `counts` the compressed string (column-major runs). */
export interface CocoRle {
  size: [number, number];
  counts: string;
}

/**
 * pycocotools' `rleFrString`: each run is a signed LEB128-like number of 5-bit groups (48 is added to each
 * group to make it printable, 0x20 marks "more groups", 0x10 in the last group is the sign), and runs from the
 * third on are stored as the difference to the run two places back.
 */
export function cocoCountsFromString(counts: string): number[] {
  const runs: number[] = [];
  let p = 0;
  while (p < counts.length) {
    let value = 0;
    let shift = 0;
    let more = true;
    while (more) {
      if (p >= counts.length) throw new RangeError('truncated COCO RLE counts');
      const group = counts.charCodeAt(p++) - 48;
      if (group < 0 || group > 63) throw new RangeError(`invalid COCO RLE character at ${p - 1}`);
      value += (group & 0x1f) * 2 ** shift;
      shift += 5;
      more = (group & 0x20) !== 0;
      if (!more && (group & 0x10) !== 0) value -= 2 ** shift;
    }
    if (runs.length > 2) value += runs[runs.length - 2];
    runs.push(value);
  }
  return runs;
}

/**
 * The mask as row-major 0/1 bytes (index y·width + x). Runs alternate 0s and 1s, starting with 0s, and walk
 * down each column before the next; they must cover the mask exactly.
 */
export function decodeCocoRle(rle: CocoRle): Uint8Array {
  const [height, width] = rle.size;
  const mask = new Uint8Array(height * width);
  let offset = 0;
  cocoCountsFromString(rle.counts).forEach((run, index) => {
    if (run < 0 || offset + run > height * width) throw new RangeError('COCO RLE runs do not fit the mask size');
    if (index % 2 === 1) {
      for (let i = offset; i < offset + run; i++) mask[(i % height) * width + Math.floor(i / height)] = 1;
    }
    offset += run;
  });
  if (offset !== height * width) throw new RangeError(`COCO RLE covers ${offset} of ${height * width} pixels`);
  return mask;
}
