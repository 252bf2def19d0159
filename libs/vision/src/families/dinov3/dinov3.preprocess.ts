import type { RgbImage } from '../../image/rgb-image.js';
import { resizeAntialiasRgb8ToPlanar } from '../../image/antialias.resizer.js';
import type { ResampleKernel } from '../../image/image.resizer.js';
import { resizeRgb } from '../../image/image.resizer.js';
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

/**
 * HF's order for DINOv3 is rescale → resize → normalize, with torchvision's antialiased resize on the
 * floats, so nothing is rounded to bytes on the way (reproduced here to within float rounding).
 * Kernels torchvision antialiases only as PIL does (nearest, lanczos) keep the byte resize.
 */
export async function preprocessDinov3(image: RgbImage, config: Dinov3Preprocessing): Promise<Tensor> {
  const { height, width, resample, normalization } = config;
  const dims = [1, 3, height, width];
  if (resample === 'bilinear' || resample === 'bicubic') {
    const pixels = resizeAntialiasRgb8ToPlanar(image, height, width, resample, normalization.rescale, normalization);
    return float32Tensor(pixels, dims);
  }
  const resized = await resizeRgb(image, width, height, resample);
  return float32Tensor(toChwFloat32(resized, normalization), dims);
}
