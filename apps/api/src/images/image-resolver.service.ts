import { Inject, Injectable } from '@nestjs/common';
import type { ApiConfig } from '@focal/config';
import {
  ImageInput,
  InvalidInputError,
  PayloadTooLargeError,
  base64Payload,
  decodeStrictBase64,
} from '@focal/contracts';
import { MalformedImageError, NotRasterImageError, readImageHeader, type ImageHeader } from '@focal/image-header';
import { API_CONFIG } from '../config/api-config.token.js';
import { URL_FETCHER, type UrlFetcher } from './url.fetcher.js';

const SUPPORTED = 'expected JPEG, PNG, WebP, GIF, TIFF, AVIF or HEIF';

/**
 * Turns request images (base64, data: URLs, URLs) into validated raw bytes for the inference service.
 * Checks here are cheap and header-only (count, bytes, format, pixel count); the worker decodes.
 * Only raster formats pass (from the bytes' magic, whatever the client claims), and the pixel count a header
 * declares is bounded before anything is decoded, so a decompression bomb never reaches a worker.
 */
@Injectable()
export class ImageResolverService {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(URL_FETCHER) private readonly fetcher: UrlFetcher,
  ) {}

  async resolve(images: ImageInput[]): Promise<Buffer[]> {
    const { maxImages } = this.config.limits;
    if (images.length > maxImages) {
      throw new InvalidInputError(`too many images: ${images.length} (at most ${maxImages} per request)`);
    }
    return Promise.all(images.map((image, index) => this.resolveOne(image, index)));
  }

  private async resolveOne(image: ImageInput, index: number): Promise<Buffer> {
    const isUrl = typeof image === 'object' && image.format === 'url';
    const raw = typeof image === 'string' ? image : image.data;
    const bytes = isUrl ? await this.fetcher.fetch(raw) : this.decodeBase64(raw, index);
    this.checkImage(bytes, index);
    return bytes;
  }

  private decodeBase64(raw: string, index: number): Buffer {
    const payload = base64Payload(raw);
    const maxBytes = this.config.limits.maxImageBytes;
    // Measured without whitespace (a wrapped, MIME-style text counts what it encodes); stripping it is only
    // needed when the text itself is long enough to be too large.
    const tooLong = (length: number) => Math.floor((length * 3) / 4) > maxBytes + 2;
    if (tooLong(payload.length) && tooLong(payload.replace(/\s+/g, '').length)) {
      throw new PayloadTooLargeError(`images[${index}] is larger than ${maxBytes} bytes`);
    }
    const bytes = decodeStrictBase64(payload);
    if (bytes === undefined) {
      const hint = /^https?:\/\//.test(payload) ? ' (to send a URL use {"data": "<url>", "format": "url"})' : '';
      throw new InvalidInputError(`images[${index}] is not valid base64${hint}`);
    }
    return bytes;
  }

  private checkImage(bytes: Buffer, index: number): void {
    const { maxImageBytes, maxImagePixels } = this.config.limits;
    if (bytes.length > maxImageBytes) {
      throw new PayloadTooLargeError(`images[${index}] is larger than ${maxImageBytes} bytes`);
    }
    const { width, height } = this.headerOf(bytes, index);
    const pixels = width * height;
    if (pixels === 0) throw new InvalidInputError(`images[${index}] has no pixels`);
    if (pixels > maxImagePixels) {
      throw new InvalidInputError(
        `images[${index}] has ${pixels} pixels, more than the ${maxImagePixels} allowed (${width}×${height} in its header)`,
      );
    }
  }

  private headerOf(bytes: Buffer, index: number): ImageHeader {
    try {
      return readImageHeader(bytes);
    } catch (error) {
      if (error instanceof NotRasterImageError) {
        const kind = error.kind === 'unknown' ? 'an unrecognised format' : error.kind.toUpperCase();
        throw new InvalidInputError(`images[${index}] is not a supported image: it is ${kind} (${SUPPORTED})`);
      }
      if (error instanceof MalformedImageError) {
        throw new InvalidInputError(`images[${index}] is not a supported image: ${error.message}`);
      }
      throw error;
    }
  }
}
