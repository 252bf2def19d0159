import { KernelCall } from './kernel.call.js';

/** What every Focal kernel module exports (tools/wasm/build-kernels.mjs compiles them with an exported memory). */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  /** The first byte callers may use: everything below belongs to the module. */
  readonly HEAP_BASE: WebAssembly.Global;
  [kernel: string]: unknown;
}

/** Memory kept between calls by default; a call that needed more leaves it behind, so a huge image's pages are freed. */
export const RETAINED_BYTES = 64 * 1024 * 1024;

/**
 * One compiled WebAssembly module of kernels (libs/<lib>/assembly, committed as base64 by
 * tools/wasm/build-kernels.mjs) and the instance its calls share. It is compiled on the first call, so importing a
 * library costs nothing until a kernel runs.
 *
 * Calls lay their inputs out in the instance's memory (KernelCall), run, and copy their outputs out, so callers
 * keep plain typed arrays and nothing is shared between calls. Calls are synchronous: one at a time per thread.
 */
export class KernelModule {
  private compiled: WebAssembly.Module | undefined;
  private shared: KernelExports | undefined;

  constructor(
    private readonly base64: string,
    /** Named in the error a kernel's abort (a failed assertion inside the module) raises. */
    private readonly name: string,
    readonly retainedBytes = RETAINED_BYTES,
  ) {}

  /** A fresh layout over the shared instance. */
  call(): KernelCall {
    return new KernelCall(this);
  }

  /** The shared instance, made on first use (and again after a call too large to keep). */
  exports(): KernelExports {
    this.compiled ??= new WebAssembly.Module(Buffer.from(this.base64, 'base64'));
    this.shared ??= new WebAssembly.Instance(this.compiled, { env: { abort: () => this.abort() } })
      .exports as KernelExports;
    return this.shared;
  }

  /** Lets the current instance go once its last call is done: the next call starts a small one. */
  releaseInstance(): void {
    this.shared = undefined;
  }

  private abort(): never {
    throw new Error(`a WebAssembly kernel of ${this.name} aborted`);
  }
}
