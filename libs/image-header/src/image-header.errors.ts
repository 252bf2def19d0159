/**
 * What went wrong reading an image's header. `kind` is the format the leading bytes name
 * (e.g. `svg`, `pdf`, `png`), so a caller can say what it refused.
 */
export class ImageHeaderError extends Error {
  constructor(
    message: string,
    readonly kind: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The bytes are a format Focal does not decode (vector, document, markup, or unknown). */
export class NotRasterImageError extends ImageHeaderError {}

/** The bytes start like a raster format but its header is cut short or inconsistent. */
export class MalformedImageError extends ImageHeaderError {}
