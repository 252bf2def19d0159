import { compactFloat32, compactMask } from './compact-tensor.encoder.js';
import { maskFrom, seededRandom } from './spec-support.js';

function values(length: number): Float32Array {
  const random = seededRandom(3);
  return Float32Array.from({ length }, () => (random() - 0.5) * 1e3);
}

/** Reads little-endian float32s with DataView, independently of the platform's byte order. */
function readLittleEndian(bytes: Uint8Array, offset = 0): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: (bytes.length - offset) / 4 }, (_, i) => view.getFloat32(offset + i * 4, true));
}

describe('compactFloat32', () => {
  it('base64: the raw little-endian values, C order, with dtype and shape', () => {
    const data = values(2 * 3 * 4);
    const compact = compactFloat32(data, [2, 3, 4], 'base64');
    expect(compact.dtype).toBe('float32');
    expect(compact.shape).toEqual([2, 3, 4]);
    expect(compact.bytes.length).toBe(96);
    expect(readLittleEndian(compact.bytes)).toEqual(Array.from(data));
  });

  it('npy: a .npy v1.0 file whose header names <f4, C order and the shape, then the same values', () => {
    const data = values(5 * 7);
    const { bytes, shape } = compactFloat32(data, [5, 7], 'npy');
    expect(shape).toEqual([5, 7]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 78, 85, 77, 80, 89, 1, 0]);
    const headerLength = bytes[8] | (bytes[9] << 8);
    const header = Buffer.from(bytes.subarray(10, 10 + headerLength)).toString('latin1');
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(5, 7\), \} *\n$/);
    expect((10 + headerLength) % 64).toBe(0);
    expect(readLittleEndian(bytes, 10 + headerLength)).toEqual(Array.from(data));
  });

  it('refuses a shape that does not fit the data', () => {
    expect(() => compactFloat32(values(6), [4, 2], 'base64')).toThrow(RangeError);
  });
});

describe('compactMask', () => {
  it('gives dtype "bits", [H, W] and the bit-packed mask', () => {
    const mask = maskFrom(3, 3, (x, y) => x === y);
    const compact = compactMask(mask, 3, 3);
    expect(compact.dtype).toBe('bits');
    expect(compact.shape).toEqual([3, 3]);
    // 100 010 001 → 10001000 1(0000000)
    expect(Array.from(compact.bytes)).toEqual([0b10001000, 0b10000000]);
  });
});
