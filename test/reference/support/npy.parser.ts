/** A C-order float32 little-endian .npy, as numpy.save and Focal's encodeNpy write it. */
export function parseNpyFloat32(bytes: Buffer, label = 'npy'): { data: Float32Array; shape: number[] } {
  if (bytes.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${label} is not a .npy file`);
  const major = bytes[6];
  const length = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.toString('latin1', start, start + length);
  if (!header.includes("'descr': '<f4'") || header.includes("'fortran_order': True")) {
    throw new Error(`${label}: expected a C-order float32 array, header ${header}`);
  }
  const shape = (/'shape': \(([^)]*)\)/.exec(header)?.[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const body = bytes.subarray(start + length);
  return { data: new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)), shape };
}
