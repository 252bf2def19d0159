// The part of the WebAssembly JS API Focal's kernels use (libs/contracts, libs/vision). Node has it globally, but
// TypeScript declares it only in the DOM library, which the server code does not load.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  interface Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
  interface Global {
    readonly value: unknown;
  }
}
