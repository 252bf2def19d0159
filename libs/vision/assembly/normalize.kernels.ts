// AssemblyScript (compiled to WebAssembly by tools/wasm/build-kernels.mjs), not TypeScript.

/**
 * Interleaved RGB bytes → planar [3, pixels] float32 through a 256-entry float32 table per channel, the
 * rescale-and-normalise step of processors that resize bytes.
 */
export function rgb8ToPlanarTable(src: usize, pixels: i32, red: usize, green: usize, blue: usize, out: usize): void {
  const plane = (<usize>pixels) << 2;
  for (let i = 0; i < pixels; i++) {
    const p = src + <usize>(i * 3);
    const o = out + ((<usize>i) << 2);
    store<f32>(o, load<f32>(red + ((<usize>load<u8>(p)) << 2)));
    store<f32>(o + plane, load<f32>(green + ((<usize>load<u8>(p, 1)) << 2)));
    store<f32>(o + (plane << 1), load<f32>(blue + ((<usize>load<u8>(p, 2)) << 2)));
  }
}
