const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The bytes of a float32 array in little-endian order (NumPy's '<f4'): a view without a copy on a
 * little-endian platform (every one Node runs on), a byte-swapped copy otherwise.
 */
export function float32LittleEndian(data: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  data.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return out;
}
