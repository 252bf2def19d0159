import type { RgbImage } from '../../image/rgb-image.js';
import { resizeAntialiasRgb8 } from '../../image/antialias.resizer.js';
import { ResampleKernel, resizeRgb } from '../../image/image.resizer.js';
import { HALF_NORMALIZATION, Normalization, toChwFloat32 } from '../../image/normalize.js';
import { Tensor, float32Tensor } from '../../tensor/tensor.js';

export interface Sam3Preprocessing {
  /** Side of the square input. */
  imageSize: number;
  resample: ResampleKernel;
  normalization: Normalization;
}

/** HF Sam3ImageProcessor / Meta: 1008×1008 square without keeping the aspect, bilinear, mean = std = 0.5. */
export const SAM3_PREPROCESSING: Sam3Preprocessing = {
  imageSize: 1008,
  resample: 'bilinear',
  normalization: HALF_NORMALIZATION,
};

/**
 * One image → pixel_values [1, 3, S, S]. HF resizes the uint8 image (torchvision, antialiased) before rescaling, so
 * bilinear/bicubic use the byte-exact reproduction of torch's uint8 kernel; other kernels go through sharp.
 */
export async function preprocessSam3(image: RgbImage, config: Sam3Preprocessing): Promise<Tensor> {
  const { imageSize: size } = config;
  const resized =
    config.resample === 'bilinear' || config.resample === 'bicubic'
      ? resizeAntialiasRgb8(image, size, size, config.resample)
      : await resizeRgb(image, size, size, config.resample);
  return float32Tensor(toChwFloat32(resized, config.normalization), [1, 3, size, size]);
}
