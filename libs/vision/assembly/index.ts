// AssemblyScript: the entry of the WebAssembly module tools/wasm/build-kernels.mjs compiles
// (libs/vision/src/wasm/kernels.wasm.ts). Every kernel file's exports are the module's exports.

/** The first byte callers may use: everything below belongs to the module. */
export const HEAP_BASE: usize = __heap_base;

export * from './resize.kernels';
export * from './normalize.kernels';
export * from './png16.kernels';
