import type { RgbImage } from '../../image/rgb-image.js';
import { resizeAntialiasRgb8 } from '../../image/antialias.resizer.js';
import { ResampleKernel, resizeRgb } from '../../image/image.resizer.js';
import { IMAGENET_NORMALIZATION, Normalization, toChwFloat32 } from '../../image/normalize.js';

export interface GroundingDinoPreprocessing {
  shortestEdge: number;
  longestEdge: number;
  resample: ResampleKernel;
  normalization: Normalization;
}

/** IDEA-Research/grounding-dino-tiny preprocessor_config.json: 800/1333, bilinear, ImageNet mean/std. */
export const GROUNDING_DINO_PREPROCESSING: GroundingDinoPreprocessing = {
  shortestEdge: 800,
  longestEdge: 1333,
  resample: 'bilinear',
  normalization: IMAGENET_NORMALIZATION,
};

export interface ImageSize {
  width: number;
  height: number;
}

/**
 * Aspect-keeping target size: the shortest edge becomes `shortestEdge` unless that would push the longest edge
 * past `longestEdge`, in which case the longest edge becomes `longestEdge`. Sides are floored after rounding to
 * two decimals (as transformers.js does, so 799.9999… floors to 800).
 */
export function groundingDinoTargetSize(
  image: ImageSize,
  config: Pick<GroundingDinoPreprocessing, 'shortestEdge' | 'longestEdge'>,
): ImageSize {
  const { width, height } = image;
  let scale = config.shortestEdge / Math.min(width, height);
  if (Math.max(width, height) * scale > config.longestEdge) scale = config.longestEdge / Math.max(width, height);
  const side = (length: number) => Math.max(1, Math.floor(Number((length * scale).toFixed(2))));
  return { width: side(width), height: side(height) };
}

export interface GroundingDinoPixels {
  /** [3, H, W] normalised. */
  pixelValues: Float32Array;
  /** [H, W] of ones: a single unpadded image has only real pixels. */
  pixelMask: BigInt64Array;
  width: number;
  height: number;
}

/**
 * HF's GroundingDinoImageProcessor resizes the uint8 image (torchvision, antialiased) before rescaling, so the
 * byte-exact reproduction of torch's uint8 kernel is used for bilinear/bicubic; other kernels go through sharp.
 */
export async function preprocessGroundingDino(
  image: RgbImage,
  config: GroundingDinoPreprocessing,
): Promise<GroundingDinoPixels> {
  const { width, height } = groundingDinoTargetSize(image, config);
  const resized =
    config.resample === 'bilinear' || config.resample === 'bicubic'
      ? resizeAntialiasRgb8(image, width, height, config.resample)
      : await resizeRgb(image, width, height, config.resample);
  return {
    pixelValues: toChwFloat32(resized, config.normalization),
    pixelMask: new BigInt64Array(width * height).fill(1n),
    width,
    height,
  };
}
