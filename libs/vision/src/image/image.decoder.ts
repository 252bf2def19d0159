import sharp from 'sharp';
import { InvalidInputError } from '@focal/contracts';
import { nonRasterReason, restrictSharpToRasterInput } from './raster-input.policy.js';
import type { RgbImage } from './rgb-image.js';

/**
 * Decodes any image sharp reads into 8-bit sRGB, honouring EXIF orientation and dropping alpha.
 * Undecodable bytes and images above `maxPixels` are the caller's fault: InvalidInputError (400).
 * Raster formats only (defence in depth behind the API's own check): anything else is refused from its magic,
 * and sharp's other loaders are blocked.
 */
export async function decodeImage(bytes: Uint8Array, maxPixels: number): Promise<RgbImage> {
  restrictSharpToRasterInput();
  const refusal = nonRasterReason(bytes);
  if (refusal) throw new InvalidInputError(`image could not be decoded: ${refusal}`);
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' })
      .rotate()
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels after conversion, got ${info.channels}`);
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(reason)) {
      throw new InvalidInputError(`image has more than the ${maxPixels} pixels allowed`);
    }
    throw new InvalidInputError(`image could not be decoded: ${reason}`);
  }
}
