import { decode } from 'fast-png';

export interface DepthLevels {
  width: number;
  height: number;
  /** 0..65535 per pixel, row-major: Focal's min-max normalised depth (0 = metadata.min, 65535 = metadata.max). */
  levels: Uint16Array;
}

/**
 * Decodes Focal's 16-bit grayscale depth PNG exactly. A canvas would give only 8 bits (and may apply
 * colour management), so the PNG is decoded in JS.
 */
export function decodeDepthPng(bytes: Uint8Array): DepthLevels {
  const png = decode(bytes);
  if (png.channels !== 1 || png.depth !== 16) {
    throw new RangeError(`depth PNG is ${png.channels}-channel ${png.depth}-bit, expected 1-channel 16-bit`);
  }
  return { width: png.width, height: png.height, levels: Uint16Array.from(png.data) };
}
