import { ByteView } from './byte.view.js';
import type { ImageSize } from './image-size.js';

/**
 * WebP: RIFF "WEBP" then the first chunk at byte 12 names the bitstream:
 * - `VP8 ` (lossy): a 3-byte frame tag, the start code 9D 01 2A, then 14-bit width and height (little-endian);
 * - `VP8L` (lossless): signature 0x2F, then width−1 and height−1 as two 14-bit fields;
 * - `VP8X` (extended): flags, 3 reserved bytes, then canvas width−1 and height−1 as 24-bit fields.
 */
export function readWebpSize(bytes: Uint8Array): ImageSize {
  const view = new ByteView(bytes, 'webp');
  const chunk = view.ascii(12, 4);
  if (chunk === 'VP8 ') {
    if (!view.startsWith([0x9d, 0x01, 0x2a], 23)) view.fail('the VP8 start code is missing');
    return { width: view.u16(26, true) & 0x3fff, height: view.u16(28, true) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    if (view.u8(20) !== 0x2f) view.fail('the VP8L signature is missing');
    const bits = view.u32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') return { width: view.u24le(24) + 1, height: view.u24le(27) + 1 };
  return view.fail(`unknown first chunk "${chunk}"`);
}
