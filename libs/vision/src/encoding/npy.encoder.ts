import { float32LittleEndian } from './float32-le.encoder.js';

/**
 * NumPy `.npy` format version 1.0 for float32 arrays: magic "\x93NUMPY", version 1.0, a little-endian
 * uint16 header length, then an ASCII dict literal padded with spaces and ended by '\n' so that the data
 * starts at a multiple of 64 bytes (the alignment NumPy itself writes), then the raw little-endian C-order data.
 */
const MAGIC = [0x93, ...Array.from('NUMPY', (c) => c.charCodeAt(0))];
const PREFIX_BYTES = MAGIC.length + 2 + 2;
const ALIGNMENT = 64;
const MAX_HEADER_LENGTH = 0xffff;

export function encodeNpy(data: Float32Array, shape: readonly number[]): Uint8Array {
  assertShape(data.length, shape);
  const header = paddedHeader(shape);
  const out = new Uint8Array(PREFIX_BYTES + header.length + data.length * 4);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out.set([1, 0], MAGIC.length);
  view.setUint16(MAGIC.length + 2, header.length, true);
  out.set(
    Array.from(header, (c) => c.charCodeAt(0)),
    PREFIX_BYTES,
  );
  out.set(float32LittleEndian(data), PREFIX_BYTES + header.length);
  return out;
}

/** Python's repr of the header dict; a 1-D shape needs the trailing comma of a 1-tuple. */
function paddedHeader(shape: readonly number[]): string {
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${tuple}, }`;
  const padding = (ALIGNMENT - ((PREFIX_BYTES + dict.length + 1) % ALIGNMENT)) % ALIGNMENT;
  const header = `${dict}${' '.repeat(padding)}\n`;
  if (header.length > MAX_HEADER_LENGTH) throw new RangeError('Shape is too long for an .npy v1.0 header');
  return header;
}

function assertShape(length: number, shape: readonly number[]): void {
  const bad = shape.findIndex((d) => !Number.isSafeInteger(d) || d < 0);
  if (bad >= 0) throw new RangeError(`Shape dimension ${shape[bad]} at index ${bad} is not a non-negative integer`);
  const size = shape.reduce((n, d) => n * d, 1);
  if (size !== length) throw new RangeError(`Shape (${shape.join(', ')}) holds ${size} values but data has ${length}`);
}
