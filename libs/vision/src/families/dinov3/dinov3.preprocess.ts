import type { RgbImage } from '../../image/rgb-image.js';
import { ResampleKernel, resizeRgb } from '../../image/image.resizer.js';
import { IMAGENET_NORMALIZATION, Normalization, toChwFloat32 } from '../../image/normalize.js';
import { Tensor, float32Tensor } from '../../tensor/tensor.js';

export interface Dinov3Preprocessing {
  height: number;
  width: number;
  resample: ResampleKernel;
  normalization: Normalization;
}

/** DINOv3ViTImageProcessor: 224×224 square (no crop), bilinear, ImageNet mean/std. */
export const DINOV3_PREPROCESSING: Dinov3Preprocessing = {
  height: 224,
  width: 224,
  resample: 'bilinear',
  normalization: IMAGENET_NORMALIZATION,
};

export async function preprocessDinov3(image: RgbImage, config: Dinov3Preprocessing): Promise<Tensor> {
  const resized = await resizeRgb(image, config.width, config.height, config.resample);
  return float32Tensor(toChwFloat32(resized, config.normalization), [1, 3, config.height, config.width]);
}
