import type { RgbImage } from '../../image/rgb-image.js';
import { resizeAntialiasRgb8 } from '../../image/antialias.resizer.js';
import { ResampleKernel, resizeRgb } from '../../image/image.resizer.js';
import { IMAGENET_NORMALIZATION, Normalization, toChwFloat32 } from '../../image/normalize.js';
import { Tensor, float32Tensor } from '../../tensor/tensor.js';

export interface DepthPreprocessing {
  size: number;
  multipleOf: number;
  keepAspectRatio: boolean;
  resample: ResampleKernel;
  normalization: Normalization;
}

/** DPTImageProcessor as configured by onnx-community/depth-anything-v2-*: 518, keep aspect, ×14, bicubic. */
export const DEPTH_ANYTHING_PREPROCESSING: DepthPreprocessing = {
  size: 518,
  multipleOf: 14,
  keepAspectRatio: true,
  resample: 'bicubic',
  normalization: IMAGENET_NORMALIZATION,
};

/** Python's round(): halves go to the even neighbour. */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function constrainToMultiple(value: number, multiple: number): number {
  const rounded = roundHalfEven(value / multiple) * multiple;
  return rounded > 0 ? rounded : Math.ceil(value / multiple) * multiple;
}

/**
 * DPT's get_resize_output_image_size: with keep-aspect, both axes use the scale closer to 1,
 * then each side is rounded (half-even) to a multiple of `multipleOf`.
 */
export function dptOutputSize(height: number, width: number, config: DepthPreprocessing): [number, number] {
  let scaleHeight = config.size / height;
  let scaleWidth = config.size / width;
  if (config.keepAspectRatio) {
    if (Math.abs(1 - scaleWidth) < Math.abs(1 - scaleHeight)) scaleHeight = scaleWidth;
    else scaleWidth = scaleHeight;
  }
  return [
    constrainToMultiple(scaleHeight * height, config.multipleOf),
    constrainToMultiple(scaleWidth * width, config.multipleOf),
  ];
}

/**
 * DPTImageProcessor resizes the uint8 image (torchvision, antialias) before the fused rescale+normalize, so
 * the resize is reproduced on bytes, rounding as torch's uint8 kernels do. Other kernels keep sharp's resize.
 */
export async function preprocessDepth(image: RgbImage, config: DepthPreprocessing): Promise<Tensor> {
  const [height, width] = dptOutputSize(image.height, image.width, config);
  const resized =
    config.resample === 'bilinear' || config.resample === 'bicubic'
      ? resizeAntialiasRgb8(image, width, height, config.resample)
      : await resizeRgb(image, width, height, config.resample);
  return float32Tensor(toChwFloat32(resized, config.normalization), [1, 3, height, width]);
}
