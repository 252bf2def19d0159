/** The raster formats Focal decodes (what sharp's prebuilt libvips reads from a buffer). */
export const RASTER_KINDS = ['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif', 'heif'] as const;
export type RasterKind = (typeof RASTER_KINDS)[number];

/** Formats recognised only to be refused by name: vector, document, markup, archives and rasters sharp lacks. */
export const OTHER_KINDS = [
  'svg',
  'pdf',
  'postscript',
  'html',
  'xml',
  'bmp',
  'ico',
  'psd',
  'jpeg2000',
  'jpeg-xl',
  'gzip',
  'zip',
  'isobmff-video',
  'unknown',
] as const;
export type OtherKind = (typeof OTHER_KINDS)[number];

export type ImageKind = RasterKind | OtherKind;

export function isRasterKind(kind: ImageKind): kind is RasterKind {
  return (RASTER_KINDS as readonly string[]).includes(kind);
}
