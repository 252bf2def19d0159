import sharp from 'sharp';
import { NotRasterImageError, readImageHeader } from '@focal/image-header';

/**
 * libvips' loaders for the raster formats Focal accepts (buffer and file variants). Every other loader (SVG via
 * librsvg, PDF via PDFium/poppler, ImageMagick, OpenSlide, FITS, …) is blocked process-wide, so untrusted vector
 * and document formats are never parsed in a worker even if something upstream let them through.
 */
const RASTER_LOADERS = ['Jpeg', 'Png', 'Webp', 'Nsgif', 'Tiff', 'Heif'].flatMap((format) => [
  `VipsForeignLoad${format}Buffer`,
  `VipsForeignLoad${format}File`,
]);

let restricted = false;

/** Idempotent: the first call blocks every libvips loader but the raster buffer loaders. */
export function restrictSharpToRasterInput(): void {
  if (restricted) return;
  sharp.block({ operation: ['VipsForeignLoad'] });
  sharp.unblock({ operation: RASTER_LOADERS });
  restricted = true;
}

/**
 * The reason bytes must not be decoded, from their magic alone, or undefined when they look like a raster
 * format. Malformed headers are left to the decoder, which reports them in its own words.
 */
export function nonRasterReason(bytes: Uint8Array): string | undefined {
  try {
    readImageHeader(bytes);
    return undefined;
  } catch (error) {
    if (!(error instanceof NotRasterImageError)) return undefined;
    const kind = error.kind === 'unknown' ? 'an unrecognised format' : error.kind.toUpperCase();
    return `it is ${kind}, not a raster image (JPEG, PNG, WebP, GIF, TIFF, AVIF or HEIF)`;
  }
}
