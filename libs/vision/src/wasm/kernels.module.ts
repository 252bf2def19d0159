import { KERNELS_WASM } from './kernels.wasm.js';

/**
 * The WebAssembly module of libs/vision/assembly (compiled by tools/wasm/build-kernels.mjs): the per-pixel loops
 * of pre- and post-processing, which V8 ran at about 3 ns per multiply-add on this 2-core machine. Each kernel
 * does the same arithmetic in the same order as the scalar JavaScript it replaced, so results are bit for bit
 * the same (the specs beside each wrapper check it against that arithmetic).
 *
 * A call lays its inputs out in the module's memory (KernelCall), runs one or more kernels, and copies its output
 * out, so callers keep plain typed arrays and nothing is shared between calls. Calls are synchronous: one at a time
 * per thread.
 */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  readonly HEAP_BASE: WebAssembly.Global;
  [kernel: string]: unknown;
}

/** A kernel's signature as JavaScript sees it: numbers (byte offsets, sizes, float64 values) in, nothing out. */
export type Kernel = (...args: number[]) => void;

/** Memory kept between calls; a call that needed more leaves it behind, so a huge image's pages are freed. */
const RETAINED_BYTES = 64 * 1024 * 1024;
const PAGE = 64 * 1024;

let compiled: WebAssembly.Module | undefined;
let shared: KernelExports | undefined;

function instance(): KernelExports {
  compiled ??= new WebAssembly.Module(Buffer.from(KERNELS_WASM, 'base64'));
  shared ??= new WebAssembly.Instance(compiled, { env: { abort: moduleAbort } }).exports as KernelExports;
  return shared;
}

function moduleAbort(): never {
  throw new Error('a WebAssembly kernel aborted');
}

/**
 * One kernel call's layout: typed arrays placed 16-byte aligned, one after another, and memory grown once for
 * the whole call by `prepare`. An input is always placed before something else, so the kernels' four-byte pixel
 * loads, which read one byte past the last pixel, stay inside memory.
 */
export class KernelCall {
  private readonly exports = instance();
  private next = align(Number(this.exports.HEAP_BASE.value));
  private readonly inputs: Array<{ at: number; array: ArrayBufferView }> = [];
  private prepared = false;

  /** Places `array`, copied in by `prepare`; returns its offset. */
  input(array: ArrayBufferView): number {
    const at = this.reserve(array.byteLength);
    this.inputs.push({ at, array });
    return at;
  }

  /** Reserves `bytes` (outputs, scratch); returns the offset. */
  reserve(bytes: number): number {
    const at = this.next;
    this.next = align(at + bytes);
    return at;
  }

  /** Grows memory for the whole layout and copies the inputs in; returns the memory to read outputs from. */
  prepare(): ArrayBuffer {
    const memory = this.exports.memory;
    const missing = this.next - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / PAGE));
    const buffer = memory.buffer;
    for (const { at, array } of this.inputs) new Uint8Array(buffer, at, array.byteLength).set(bytesOf(array));
    this.prepared = true;
    if (this.next > RETAINED_BYTES) shared = undefined;
    return buffer;
  }

  /** Runs `kernel` over the prepared memory (several kernels may run on one layout). */
  run(kernel: string, ...args: number[]): void {
    if (!this.prepared) throw new Error('KernelCall.run before prepare');
    (this.exports[kernel] as Kernel)(...args);
  }
}

function align(n: number): number {
  return (n + 15) & ~15;
}

function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
