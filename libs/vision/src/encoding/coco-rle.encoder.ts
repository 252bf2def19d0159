import { rleCountsColumnMajor } from './coco-rle.counts.js';
import { cocoCountsToString } from './coco-rle.string.js';
import type { CocoRle } from './coco-rle.types.js';

/** COCO compressed RLE of a row-major 0/1 mask, byte-for-byte what `pycocotools.mask.encode` gives. */
export function encodeCocoRle(mask: Uint8Array, height: number, width: number): CocoRle {
  return { size: [height, width], counts: cocoCountsToString(rleCountsColumnMajor(mask, height, width)) };
}
