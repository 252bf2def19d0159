import type { KernelExports, KernelModule } from './kernel.module.js';

const PAGE = 64 * 1024;

/**
 * One kernel call's layout: typed arrays placed 16-byte aligned, one after another, and memory grown once for the
 * whole call by `prepare`. An input is always placed before something else, so kernels that load four bytes at a
 * time, reading up to three bytes past an input's end, stay inside memory.
 */
export class KernelCall {
  private readonly exports: KernelExports;
  private next: number;
  private readonly inputs: Array<{ at: number; array: ArrayBufferView }> = [];
  private prepared = false;

  constructor(private readonly module: KernelModule) {
    this.exports = module.exports();
    this.next = align(Number(this.exports.HEAP_BASE.value));
  }

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
    if (this.next > this.module.retainedBytes) this.module.releaseInstance();
    return buffer;
  }

  /**
   * Runs `kernel` over the prepared memory (several kernels may run on one layout); returns what it returns (0 for
   * a kernel that returns nothing). Arguments are numbers: byte offsets, sizes, float64 values.
   */
  run(kernel: string, ...args: number[]): number {
    if (!this.prepared) throw new Error('KernelCall.run before prepare');
    const fn = this.exports[kernel];
    if (typeof fn !== 'function') throw new Error(`the WebAssembly module has no kernel "${kernel}"`);
    return (fn(...args) as number | undefined) ?? 0;
  }
}

function align(n: number): number {
  return (n + 15) & ~15;
}

function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
