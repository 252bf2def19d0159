import { ByteView } from './byte.view.js';
import type { ImageSize } from './image-size.js';

/** PNG: the first chunk must be IHDR (length 13), whose first 8 bytes are width and height, big-endian. */
export function readPngSize(bytes: Uint8Array): ImageSize {
  const view = new ByteView(bytes, 'png');
  if (view.u32(8) !== 13 || view.ascii(12, 4) !== 'IHDR') view.fail('the first chunk is not IHDR');
  return { width: view.u32(16), height: view.u32(20) };
}
