import { resizeAreaRgb8 } from '../../image/cv2-area.resizer.js';
import { resizeCubicCv2Rgb8 } from '../../image/cv2-cubic.resizer.js';
import { IMAGENET_NORMALIZATION, Normalization, toChwFloat32 } from '../../image/normalize.js';
import type { RgbImage } from '../../image/rgb-image.js';
import { Tensor, float32Tensor } from '../../tensor/tensor.js';
import { roundHalfEven } from './depth-anything.preprocess.js';

/** Depth Anything 3's InputProcessor: process_res 504, upper_bound_resize, sides snapped to ×14. */
export interface Da3Preprocessing {
  processRes: number;
  patchSize: number;
  normalization: Normalization;
}

export const DEPTH_ANYTHING_3_PREPROCESSING: Da3Preprocessing = {
  processRes: 504,
  patchSize: 14,
  normalization: IMAGENET_NORMALIZATION,
};

/** Longest side to processRes, the other by the same scale with Python's int(round()) (ties to even), ≥ 1. */
export function da3BoundarySize(height: number, width: number, processRes: number): [number, number] {
  const longest = Math.max(height, width);
  if (longest === processRes) return [height, width];
  const scale = processRes / longest;
  return [Math.max(1, roundHalfEven(height * scale)), Math.max(1, roundHalfEven(width * scale))];
}

/** The nearest multiple of `patch`, a tie going up (the package's nearest_multiple), at least 1. */
export function nearestMultiple(value: number, patch: number): number {
  const down = Math.floor(value / patch) * patch;
  const up = down + patch;
  return Math.max(1, Math.abs(up - value) <= Math.abs(value - down) ? up : down);
}

/** cv2 INTER_CUBIC when any side grows, INTER_AREA otherwise, as the package chooses for each of its two resizes. */
function cv2Resize(image: RgbImage, height: number, width: number): RgbImage {
  if (image.height === height && image.width === width) return image;
  const grows = width > image.width || height > image.height;
  return grows ? resizeCubicCv2Rgb8(image, width, height) : resizeAreaRgb8(image, width, height);
}

/** The network input size for an image of height×width: the boundary size, each side snapped to ×14. */
export function da3InputSize(height: number, width: number, config: Da3Preprocessing): [number, number] {
  const [h, w] = da3BoundarySize(height, width, config.processRes);
  return [nearestMultiple(h, config.patchSize), nearestMultiple(w, config.patchSize)];
}

/**
 * Two resizes, like the package: first the boundary resize (longest side → 504; the package picks
 * INTER_CUBIC for scale > 1, INTER_AREA otherwise), then, when a side is not a multiple of 14, a second
 * resize to the nearest multiples. Then ToTensor (÷255) and ImageNet normalisation.
 */
export function preprocessDepthAnything3(image: RgbImage, config: Da3Preprocessing): Tensor {
  const [h, w] = da3BoundarySize(image.height, image.width, config.processRes);
  const longest = Math.max(image.height, image.width);
  const first =
    longest === config.processRes
      ? image
      : config.processRes > longest
        ? resizeCubicCv2Rgb8(image, w, h)
        : resizeAreaRgb8(image, w, h);
  const second = cv2Resize(first, nearestMultiple(h, config.patchSize), nearestMultiple(w, config.patchSize));
  return float32Tensor(toChwFloat32(second, config.normalization), [1, 3, second.height, second.width]);
}
