import { readGifSize } from './gif.header.js';
import { readHeifSize } from './heif.header.js';
import { NotRasterImageError } from './image-header.errors.js';
import { isRasterKind, type RasterKind } from './image-kind.js';
import { sniffImageKind } from './image-kind.sniffer.js';
import type { ImageSize } from './image-size.js';
import { readJpegSize } from './jpeg.header.js';
import { readPngSize } from './png.header.js';
import { readTiffSize } from './tiff.header.js';
import { readWebpSize } from './webp.header.js';

export interface ImageHeader extends ImageSize {
  kind: RasterKind;
}

const SIZE_READERS: Record<RasterKind, (bytes: Uint8Array) => ImageSize> = {
  png: readPngSize,
  jpeg: readJpegSize,
  gif: readGifSize,
  webp: readWebpSize,
  tiff: readTiffSize,
  avif: (bytes) => readHeifSize(bytes, 'avif'),
  heif: (bytes) => readHeifSize(bytes, 'heif'),
};

/**
 * The format and declared dimensions of an image, from its header alone (nothing is decoded).
 * Throws NotRasterImageError for any format but the raster ones Focal decodes, and MalformedImageError
 * for a truncated or inconsistent header.
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  const kind = sniffImageKind(bytes);
  if (!isRasterKind(kind)) {
    const what = kind === 'unknown' ? 'an unrecognised format' : kind.toUpperCase();
    throw new NotRasterImageError(`${what} is not a supported raster image`, kind);
  }
  return { kind, ...SIZE_READERS[kind](bytes) };
}
