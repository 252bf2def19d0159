// AssemblyScript: the entry of the WebAssembly module tools/wasm/build-kernels.mjs compiles
// (libs/contracts/src/worker/float32-decimal.wasm.ts).

/** The first byte callers may use: everything below belongs to the module. */
export const HEAP_BASE: usize = __heap_base;

export * from './float32-decimal.kernels';
