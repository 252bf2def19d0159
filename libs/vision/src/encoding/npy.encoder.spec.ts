import { encodeNpy } from './npy.encoder.js';
import { seededRandom } from './spec-support.js';

/** A minimal .npy v1.0 reader written from the format description, to check the encoder from the outside. */
function parseNpy(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = Array.from(bytes.subarray(0, 6));
  const version = [bytes[6], bytes[7]];
  const headerLength = view.getUint16(8, true);
  const header = new TextDecoder('latin1').decode(bytes.subarray(10, 10 + headerLength));
  const dataOffset = 10 + headerLength;
  const values = new Float32Array((bytes.length - dataOffset) / 4);
  values.forEach((_, i) => (values[i] = view.getFloat32(dataOffset + i * 4, true)));
  return { magic, version, header, dataOffset, values };
}

/** Splits "dict + spaces + \n" and turns the dict into a JS object, checking it is a Python literal we expect. */
function headerDict(header: string) {
  expect(header.endsWith('\n')).toBe(true);
  const dict = header.trimEnd();
  expect(header.slice(dict.length, -1)).toMatch(/^ *$/);
  const match = /^\{'descr': '([<>|]\w+)', 'fortran_order': (True|False), 'shape': \(([\d, ]*)\), \}$/.exec(dict);
  expect(match).not.toBeNull();
  const [, descr, fortran, shape] = match as RegExpExecArray;
  return {
    dict,
    descr,
    fortranOrder: fortran === 'True',
    shape: shape
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map(Number),
  };
}

describe('encodeNpy', () => {
  it.each([
    [[2, 3], "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"],
    [[5], "{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }"],
    [[], "{'descr': '<f4', 'fortran_order': False, 'shape': (), }"],
    [[0], "{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }"],
    [[1, 2, 3, 4], "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3, 4), }"],
  ])('writes magic, version 1.0 and the header dict for shape %p', (shape, expectedDict) => {
    const size = shape.reduce((n, d) => n * d, 1);
    const parsed = parseNpy(encodeNpy(new Float32Array(size), shape));
    expect(parsed.magic).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
    expect(parsed.version).toEqual([1, 0]);
    const dict = headerDict(parsed.header);
    expect(dict.dict).toBe(expectedDict);
    expect(dict).toMatchObject({ descr: '<f4', fortranOrder: false, shape });
  });

  it.each([[[1]], [[7, 13]], [[123456789, 0]], [[3, 518, 518]], [[1, 2, 3, 4, 5, 6, 7, 8, 9]]])(
    'pads the header so the data starts on a 64-byte boundary for shape %p',
    (shape) => {
      const size = shape.reduce((n, d) => n * d, 1);
      const bytes = encodeNpy(new Float32Array(size), shape);
      const { dataOffset, header } = parseNpy(bytes);
      expect(dataOffset % 64).toBe(0);
      expect(dataOffset - header.trimEnd().length - 10).toBeLessThanOrEqual(64);
      expect(bytes.length).toBe(dataOffset + size * 4);
    },
  );

  it('stores the values little-endian in C order, bit for bit', () => {
    const random = seededRandom(3);
    const data = Float32Array.from({ length: 24 }, () => (random() - 0.5) * 1e6);
    data.set([Number.NaN, -0, Infinity, -Infinity, 1e-45], 0);
    const { values } = parseNpy(encodeNpy(data, [2, 3, 4]));
    expect(new Uint32Array(values.buffer)).toEqual(new Uint32Array(data.buffer));
  });

  it('puts element [i, j] of a 2×3 array at offset i·3 + j', () => {
    const data = Float32Array.from([0, 1, 2, 10, 11, 12]);
    const bytes = encodeNpy(data, [2, 3]);
    const { dataOffset } = parseNpy(bytes);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect(view.getFloat32(dataOffset + (1 * 3 + 2) * 4, true)).toBe(12);
    expect(Array.from(bytes.subarray(dataOffset + 4, dataOffset + 8))).toEqual([0x00, 0x00, 0x80, 0x3f]);
  });

  it('rejects shapes that do not match the data or are not non-negative integers', () => {
    expect(() => encodeNpy(new Float32Array(6), [2, 4])).toThrow(/holds 8 values but data has 6/);
    expect(() => encodeNpy(new Float32Array(6), [2, -3])).toThrow(/-3 at index 1/);
    expect(() => encodeNpy(new Float32Array(6), [2, 3.5])).toThrow(/3.5 at index 1/);
  });
});
