import { float32LittleEndian } from './float32-le.encoder.js';
import { packMaskBits } from './mask-bits.encoder.js';
import { encodeNpy } from './npy.encoder.js';

/** A large output in compact form: its bytes travel to the client as one base64 string (`data`). */
export interface CompactTensor {
  dtype: 'float32' | 'bits';
  shape: number[];
  bytes: Uint8Array;
}

/**
 * tensor_format "base64": the raw little-endian float32 values, C order (`np.frombuffer(b, '<f4').reshape(shape)`);
 * "npy": the same values as a whole .npy file (`np.load(io.BytesIO(b))`).
 */
export function compactFloat32(data: Float32Array, shape: readonly number[], format: 'base64' | 'npy'): CompactTensor {
  const size = shape.reduce((n, d) => n * d, 1);
  if (size !== data.length) throw new RangeError(`shape [${shape.join(', ')}] does not fit ${data.length} values`);
  const bytes = format === 'npy' ? encodeNpy(data, shape) : float32LittleEndian(data);
  return { dtype: 'float32', shape: [...shape], bytes };
}

/** A 0/1 H×W mask in compact form (either compact tensor_format): bits, MSB first, row-major (packMaskBits). */
export function compactMask(mask: Uint8Array, height: number, width: number): CompactTensor {
  return { dtype: 'bits', shape: [height, width], bytes: packMaskBits(mask, height, width) };
}
