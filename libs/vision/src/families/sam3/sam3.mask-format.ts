import type { MaskFormat } from '@focal/contracts';
import { CocoRle, encodeCocoRle, maskToPolygons } from '../../encoding/index.js';

/** dense: H×W nested 0/1 rows; rle: COCO compressed RLE; polygons: flat [x1,y1,x2,y2,…] outer contours. */
export type Sam3Mask = number[][] | CocoRle;

export interface MaskFormatOptions {
  format: MaskFormat;
  polygonTolerance: number;
}

function denseRows(mask: Uint8Array, height: number, width: number): number[][] {
  return Array.from({ length: height }, (_, y) => Array.from(mask.subarray(y * width, (y + 1) * width)));
}

export function formatMask(mask: Uint8Array, height: number, width: number, options: MaskFormatOptions): Sam3Mask {
  switch (options.format) {
    case 'dense':
      return denseRows(mask, height, width);
    case 'rle':
      return encodeCocoRle(mask, height, width);
    case 'polygons':
      return maskToPolygons(mask, height, width, { tolerance: options.polygonTolerance });
  }
}
