import { maskFromColumnMajorCounts } from './coco-rle.counts.js';
import { cocoCountsFromString } from './coco-rle.string.js';
import type { CocoRle } from './coco-rle.types.js';

/** Decodes COCO compressed RLE into a row-major 0/1 mask; throws on bad characters or counts that do not fit `size`. */
export function decodeCocoRle(rle: CocoRle): Uint8Array {
  if (!Array.isArray(rle.size) || rle.size.length !== 2) {
    throw new RangeError(`COCO RLE size must be [height, width], got ${JSON.stringify(rle.size)}`);
  }
  if (typeof rle.counts !== 'string') {
    throw new TypeError('COCO RLE counts must be the compressed string form');
  }
  const [height, width] = rle.size;
  return maskFromColumnMajorCounts(cocoCountsFromString(rle.counts), height, width);
}
