import { constants, crc32, deflateSync } from 'node:zlib';

import { assertImageSize } from './binary-mask.js';
import { png16Scanlines } from '../wasm/png16.kernels.js';

export interface Png16Result {
  /** 16-bit grayscale PNG (colour type 0, bit depth 16). */
  png: Uint8Array;
  /** The finite input value stored as 0; 0 when there is no finite value. */
  min: number;
  /** The finite input value stored as 65535; equals `min` for constant input. */
  max: number;
}

/**
 * Min–max normalises a row-major H×W float map into a 16-bit grayscale PNG: a finite value v becomes
 * round((v − min) / (max − min) · 65535), with min and max taken over finite values only and returned so
 * callers can undo the mapping. Explicit rules for the rest:
 * - constant input (max = min) maps every finite value to 0, since there is no range to spread;
 * - NaN and −Infinity map to 0, +Infinity to 65535, so non-finite values never widen the range.
 */
export function encodePng16(values: Float32Array, height: number, width: number): Png16Result {
  assertImageSize(height, width);
  if (values.length !== height * width) {
    throw new RangeError(`Got ${values.length} values but height×width is ${height}×${width}=${height * width}`);
  }
  const { scanlines, min, max } = png16Scanlines(values, height, width);
  return { png: grayscale16Png(scanlines, height, width), min, max };
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Sub filter (PNG filter type 1) and zlib's run-length strategy: each sample is stored as its difference from
 * its left neighbour, byte by byte, which a smooth depth map turns into short repeated runs that Z_RLE codes
 * without searching for matches. On png16-encoder's 640×480 map, deflating takes 9 ms for 454 KiB, against
 * 24.5 ms for 587 KiB unfiltered at zlib's default (the previous encoder), 16 ms for 399 KiB Sub-filtered at
 * level 1, and 6–7 ms for 464 KiB with the Up filter and Z_RLE (measured on this 2-core machine). Every PNG
 * decoder applies the filter; the file is a standard 16-bit grayscale PNG.
 */
const DEFLATE = { strategy: constants.Z_RLE };

/**
 * The PNG written directly: IHDR (16-bit grayscale, no interlace), one IDAT of zlib-deflated scanlines (Sub
 * filtered, big-endian samples, written by a WebAssembly kernel: wasm/png16.kernels.ts), IEND. Node's native zlib
 * deflates about 3× faster than fast-png's JavaScript one (measured on a 640×480 depth map).
 */
function grayscale16Png(scanlines: Uint8Array, height: number, width: number): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([16, 0, 0, 0, 0], 8);
  const idat = deflateSync(scanlines, DEFLATE);
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', idat), chunk('IEND')]);
}

function chunk(type: string, data: Buffer = Buffer.alloc(0)): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
