import type { Sam3Detection } from '../api/client.types.js';
import { decodeCocoRle } from './coco-rle.decoder.js';
import { rasterizePolygons } from './polygon.rasterizer.js';

/**
 * One detection's mask as row-major 0/1 bytes of the image size, whichever `output_format` it came in:
 * dense (H×W nested 0/1 lists), rle ({size, counts}) or polygons (a list of flat outlines in image pixels).
 */
export function decodeSam3Mask(mask: Sam3Detection['mask'], height: number, width: number): Uint8Array {
  if (!Array.isArray(mask)) {
    const [h, w] = mask.size;
    if (h !== height || w !== width) throw new RangeError(`RLE mask is ${w}×${h}, the image ${width}×${height}`);
    return decodeCocoRle(mask);
  }
  if (isDense(mask, height, width)) return Uint8Array.from(mask.flat(), (v) => (v ? 1 : 0));
  return rasterizePolygons(mask, height, width);
}

/** Dense masks have exactly H rows of W 0/1 values; polygons have even-length rows of coordinates. */
function isDense(mask: number[][], height: number, width: number): boolean {
  return mask.length === height && mask.every((row) => row.length === width && row.every((v) => v === 0 || v === 1));
}
