import sharp, { type KernelEnum } from 'sharp';
import type { RgbImage } from './rgb-image.js';

/** PIL-style resample names used by preprocessor configs, mapped to sharp kernels. */
export type ResampleKernel = 'nearest' | 'bilinear' | 'bicubic' | 'lanczos';

const SHARP_KERNEL: Record<ResampleKernel, keyof KernelEnum> = {
  nearest: 'nearest',
  bilinear: 'linear',
  bicubic: 'cubic',
  lanczos: 'lanczos3',
};

/** PIL's integer resample codes as found in preprocessor_config.json. */
export function resampleFromPil(code: number | undefined, fallback: ResampleKernel): ResampleKernel {
  const byCode: Record<number, ResampleKernel> = { 0: 'nearest', 1: 'lanczos', 2: 'bilinear', 3: 'bicubic' };
  return code === undefined ? fallback : (byCode[code] ?? fallback);
}

/** Resizes to exactly width×height (no aspect preservation); a same-size resize returns the input. */
export async function resizeRgb(
  image: RgbImage,
  width: number,
  height: number,
  kernel: ResampleKernel,
): Promise<RgbImage> {
  if (image.width === width && image.height === height) return image;
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize({ width, height, fit: 'fill', kernel: SHARP_KERNEL[kernel] })
    .raw()
    .toBuffer();
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height };
}
