import { VISION_KERNELS } from './kernels.module.js';

/**
 * Interleaved RGB bytes → planar [3, pixels] float32, each channel's byte looked up in its 256-entry table
 * (WebAssembly, libs/vision/assembly/normalize.kernels.ts).
 */
export function rgb8ToPlanarTable(
  src: Uint8Array,
  tables: readonly [Float32Array, Float32Array, Float32Array],
): Float32Array {
  if (tables.some((table) => table.length !== 256)) throw new RangeError('each channel table has 256 entries');
  const call = VISION_KERNELS.call();
  const pixels = src.length / 3;
  const s = call.input(src);
  const [red, green, blue] = tables.map((table) => call.input(table));
  const out = call.reserve(3 * pixels * 4);
  const buffer = call.prepare();
  call.run('rgb8ToPlanarTable', s, pixels, red, green, blue, out);
  return new Float32Array(buffer, out, 3 * pixels).slice();
}
