/**
 * The two non-JSON values a result may hold. They travel between the API and a worker as raw typed
 * arrays (see worker-frame.codec.ts) and become JSON only once, when the API writes the client's body.
 * `toJSON` gives the guide's shapes, so JSON.stringify (Bull's job results, any plain `res.json`) and the
 * streaming writer (json-chunks.writer.ts) produce the same text.
 */
import { float32Decimal } from './float32-decimal.js';

export type TensorData = Float32Array | Uint8Array;
export type TensorDtype = 'float32' | 'uint8';

/**
 * A row-major array with its shape; in JSON a nested list, float32 values as the fewest digits that read
 * back as the same float32 (float32-decimal.ts), uint8 values as integers.
 */
export class TensorValue {
  constructor(
    readonly data: TensorData,
    readonly shape: readonly number[],
  ) {
    const size = shape.reduce((n, d) => n * d, 1);
    if (shape.some((d) => !Number.isSafeInteger(d) || d < 0) || size !== data.length) {
      throw new RangeError(`shape [${shape.join(', ')}] does not fit ${data.length} values`);
    }
  }

  get dtype(): TensorDtype {
    return this.data instanceof Float32Array ? 'float32' : 'uint8';
  }

  toJSON(): unknown {
    return nest(this.data, this.shape, 0, 0);
  }
}

function nest(data: TensorData, shape: readonly number[], axis: number, offset: number): unknown {
  if (shape.length === 0) return data instanceof Float32Array ? float32Decimal(data[0]) : data[0];
  const length = shape[axis];
  if (axis === shape.length - 1) {
    const row = data.subarray(offset, offset + length);
    return data instanceof Float32Array ? Array.from(row, float32Decimal) : Array.from(row);
  }
  const stride = shape.slice(axis + 1).reduce((n, d) => n * d, 1);
  return Array.from({ length }, (_, i) => nest(data, shape, axis + 1, offset + i * stride));
}

/** Opaque bytes (a PNG, a GLB, an .npy, a packed mask); in JSON a base64 string. */
export class BytesValue {
  constructor(readonly data: Uint8Array) {}

  toBase64(): string {
    return Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength).toString('base64');
  }

  toJSON(): string {
    return this.toBase64();
  }
}
