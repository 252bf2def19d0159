import { VISION_KERNELS } from './kernels.module.js';

export interface Png16Scanlines {
  /** height rows of 1 + 2·width bytes: filter type 1 (Sub), then big-endian 16-bit samples as differences. */
  scanlines: Uint8Array;
  /** The finite value stored as 0 (0 when there is none). */
  min: number;
  /** The finite value stored as 65535 (equals min for constant input). */
  max: number;
}

/**
 * A float map's min–max range over its finite values and its Sub-filtered 16-bit PNG scanlines, in one
 * WebAssembly call (libs/vision/assembly/png16.kernels.ts); the values are copied in once for both loops.
 */
export function png16Scanlines(values: Float32Array, height: number, width: number): Png16Scanlines {
  const call = VISION_KERNELS.call();
  const v = call.input(values.subarray(0, height * width));
  const range = call.reserve(16);
  const bytes = height * (1 + width * 2);
  const out = call.reserve(bytes);
  const buffer = call.prepare();
  call.run('finiteRange', v, height * width, range);
  const [low, high] = new Float64Array(buffer, range, 2);
  const [min, max] = low <= high ? [low, high] : [0, 0];
  call.run('png16Scanlines', v, height, width, min, max - min, out);
  return { scanlines: new Uint8Array(buffer, out, bytes).slice(), min, max };
}
