import { BytesValue, MaskFormat, TensorFormat, TensorValue } from '@focal/contracts';
import { CocoRle, compactMask, encodeCocoRle, maskToPolygons } from '../../encoding/index.js';

/** A dense mask in compact form: {dtype: "bits", shape: [h, w], data: base64 of the packed bits}. */
export interface PackedMask {
  dtype: 'bits';
  shape: number[];
  data: BytesValue;
}

/**
 * dense: H×W 0/1 rows (a TensorValue, nested lists in JSON) or, with a compact tensor_format, a PackedMask;
 * rle: COCO compressed RLE; polygons: flat [x1,y1,x2,y2,…] outer contours.
 */
export type Sam3Mask = TensorValue | PackedMask | CocoRle | number[][];

export interface MaskFormatOptions {
  format: MaskFormat;
  polygonTolerance: number;
  /** Only for dense masks; default json. */
  tensorFormat?: TensorFormat;
}

function denseMask(mask: Uint8Array, height: number, width: number, tensorFormat: TensorFormat): Sam3Mask {
  if (tensorFormat === 'json') return new TensorValue(mask, [height, width]);
  const packed = compactMask(mask, height, width);
  return { dtype: 'bits', shape: packed.shape, data: new BytesValue(packed.bytes) };
}

export function formatMask(mask: Uint8Array, height: number, width: number, options: MaskFormatOptions): Sam3Mask {
  switch (options.format) {
    case 'dense':
      return denseMask(mask, height, width, options.tensorFormat ?? 'json');
    case 'rle':
      return encodeCocoRle(mask, height, width);
    case 'polygons':
      return maskToPolygons(mask, height, width, { tolerance: options.polygonTolerance });
  }
}
