import { ByteView } from './byte.view.js';
import type { ImageSize } from './image-size.js';

/** GIF: the logical screen size follows the 6-byte signature, little-endian (libvips renders frames onto it). */
export function readGifSize(bytes: Uint8Array): ImageSize {
  const view = new ByteView(bytes, 'gif');
  return { width: view.u16(6, true), height: view.u16(8, true) };
}
