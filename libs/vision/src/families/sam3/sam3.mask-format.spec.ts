import type { TensorValue } from '@focal/contracts';
import { CocoRle, decodeCocoRle } from '../../encoding/index.js';
import { formatMask } from './sam3.mask-format.js';

describe('formatMask', () => {
  const [height, width] = [6, 8];
  // a 3×4 rectangle at x 2..5, y 1..3
  const mask = Uint8Array.from({ length: height * width }, (_, i) => {
    const [x, y] = [i % width, Math.floor(i / width)];
    return x >= 2 && x < 6 && y >= 1 && y < 4 ? 1 : 0;
  });

  it('dense: H rows of W 0/1 numbers', () => {
    const dense = (
      formatMask(mask, height, width, { format: 'dense', polygonTolerance: 1 }) as TensorValue
    ).toJSON() as number[][];
    expect(dense).toHaveLength(height);
    expect(dense[2]).toEqual([0, 0, 1, 1, 1, 1, 0, 0]);
    expect(dense.flat()).toEqual(Array.from(mask));
  });

  it('dense with a compact tensor_format: bits, MSB first, that unpack to the mask', () => {
    for (const tensorFormat of ['base64', 'npy'] as const) {
      const packed = formatMask(mask, height, width, { format: 'dense', polygonTolerance: 1, tensorFormat }) as {
        dtype: string;
        shape: number[];
        data: { toBase64(): string };
      };
      expect(packed.dtype).toBe('bits');
      expect(packed.shape).toEqual([height, width]);
      const bytes = Buffer.from(packed.data.toBase64(), 'base64');
      const bits = Array.from({ length: height * width }, (_, i) => (bytes[i >> 3] >> (7 - (i % 8))) & 1);
      expect(bits).toEqual(Array.from(mask));
    }
  });

  it('rle: COCO RLE that decodes back to the mask', () => {
    const rle = formatMask(mask, height, width, { format: 'rle', polygonTolerance: 1 }) as CocoRle;
    expect(rle.size).toEqual([height, width]);
    expect(Array.from(decodeCocoRle(rle))).toEqual(Array.from(mask));
  });

  it('polygons: the outer contour in pixel-corner coordinates', () => {
    const polygons = formatMask(mask, height, width, { format: 'polygons', polygonTolerance: 1 }) as number[][];
    expect(polygons).toHaveLength(1);
    const xs = polygons[0].filter((_, i) => i % 2 === 0);
    const ys = polygons[0].filter((_, i) => i % 2 === 1);
    expect([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]).toEqual([2, 1, 6, 4]);
  });
});
