import { AntialiasFilter, antialiasAxisWeights, toFixedPoint } from './antialias.weights.js';
import type { RgbImage } from './rgb-image.js';
import { horizontal8, rgb8ToPlanarResized, rgb8ToPlanarRows, vertical8 } from '../wasm/resize.kernels.js';

/**
 * Antialiased resizes that reproduce torchvision's `resize(..., antialias=True)`, which Hugging Face's
 * image processors call (sharp's kernels differ from it by up to ~160 levels on downscales). Both are
 * separable, horizontal pass first, like torch and Pillow. The passes run as WebAssembly (wasm/resize.kernels.ts),
 * with the arithmetic of torch's loops: int32 sums of fixed-point products on bytes, float64 sums on floats.
 */

/**
 * Interleaved RGB bytes, torch's uint8 path (the AVX kernels HF hits when it resizes before rescaling,
 * e.g. DPT): fixed-point weights, the horizontal pass rounded and clamped to bytes before the vertical one.
 */
export function resizeAntialiasRgb8(image: RgbImage, width: number, height: number, filter: AntialiasFilter): RgbImage {
  if (image.width === width && image.height === height) return image;
  let data = image.data;
  if (width !== image.width) {
    data = horizontal8(data, image.width, image.height, toFixedPoint(antialiasAxisWeights(image.width, width, filter)));
  }
  if (height !== image.height) {
    data = vertical8(data, width, toFixedPoint(antialiasAxisWeights(image.height, height, filter)));
  }
  return { data, width, height };
}

/** Per-channel (v − mean) / std, applied as each output value is stored. */
export interface Standardize {
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
}

const IDENTITY: Standardize = { mean: [0, 0, 0], std: [1, 1, 1] };

/**
 * Interleaved RGB bytes → planar floats ([3, H, W]), torch's float path for processors that rescale before they
 * resize (DINOv3): weights in floating point, no rounding between the passes. The horizontal pass reads the bytes
 * with the rescale folded into its weights, so the full-size float copy of the image (the bulk of the time on a
 * 640×480 input) is never made; that differs from rescaling first by float rounding only (a few 1e-7 relative:
 * rescale·Σ xw against Σ (rescale·x)w). `standardize` (the processor's normalize step) is applied as the last
 * pass stores each value, which saves a pass over the output and one float32 rounding.
 */
export function resizeAntialiasRgb8ToPlanar(
  image: RgbImage,
  outHeight: number,
  outWidth: number,
  filter: AntialiasFilter,
  rescale: number,
  standardize: Standardize = IDENTITY,
): Float32Array {
  const axis = antialiasAxisWeights(image.width, outWidth, filter);
  const weights = axis.weights.map((w) => w * rescale);
  if (outHeight === image.height) {
    return standardizeInPlace(rgb8ToPlanarRows(image.data, image.width, image.height, axis, weights), standardize);
  }
  const vertical = antialiasAxisWeights(image.height, outHeight, filter);
  const { mean, std } = standardize;
  return rgb8ToPlanarResized(image.data, image.width, image.height, axis, weights, vertical, mean, std);
}

function standardizeInPlace(chw: Float32Array, standardize: Standardize): Float32Array {
  if (standardize === IDENTITY) return chw;
  const plane = chw.length / 3;
  for (let c = 0; c < 3; c++) {
    const { [c]: mean } = standardize.mean;
    const { [c]: std } = standardize.std;
    for (let i = c * plane; i < (c + 1) * plane; i++) chw[i] = (chw[i] - mean) / std;
  }
  return chw;
}
