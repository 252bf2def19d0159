import { MalformedImageError } from './image-header.errors.js';

/**
 * Bounds-checked reads over a byte array. Every read past the end throws MalformedImageError naming the
 * format, so a parser never returns garbage from a truncated header.
 */
export class ByteView {
  constructor(
    readonly bytes: Uint8Array,
    readonly kind: string,
  ) {}

  get length(): number {
    return this.bytes.length;
  }

  has(offset: number, count: number): boolean {
    return offset >= 0 && count >= 0 && offset + count <= this.bytes.length;
  }

  u8(offset: number): number {
    this.need(offset, 1);
    return this.bytes[offset];
  }

  u16(offset: number, littleEndian = false): number {
    this.need(offset, 2);
    const [a, b] = [this.bytes[offset], this.bytes[offset + 1]];
    return littleEndian ? a | (b << 8) : (a << 8) | b;
  }

  u24le(offset: number): number {
    this.need(offset, 3);
    return this.bytes[offset] | (this.bytes[offset + 1] << 8) | (this.bytes[offset + 2] << 16);
  }

  u32(offset: number, littleEndian = false): number {
    this.need(offset, 4);
    const high = littleEndian ? this.u16(offset + 2, true) : this.u16(offset);
    const low = littleEndian ? this.u16(offset, true) : this.u16(offset + 2);
    return high * 0x10000 + low;
  }

  /** A 64-bit unsigned integer; above 2^53 it cannot be an offset into an in-memory image anyway. */
  u64(offset: number, littleEndian = false): number {
    const high = littleEndian ? this.u32(offset + 4, true) : this.u32(offset);
    const low = littleEndian ? this.u32(offset, true) : this.u32(offset + 4);
    if (high >= 0x200000) this.fail(`a 64-bit value at byte ${offset} is out of range`);
    return high * 0x1_0000_0000 + low;
  }

  ascii(offset: number, count: number): string {
    this.need(offset, count);
    return String.fromCharCode(...this.bytes.subarray(offset, offset + count));
  }

  startsWith(signature: readonly number[], offset = 0): boolean {
    return this.has(offset, signature.length) && signature.every((byte, i) => this.bytes[offset + i] === byte);
  }

  fail(reason: string): never {
    throw new MalformedImageError(`${this.kind.toUpperCase()} header is malformed: ${reason}`, this.kind);
  }

  private need(offset: number, count: number): void {
    if (!this.has(offset, count)) this.fail(`truncated at byte ${offset} (${this.bytes.length} bytes in all)`);
  }
}
