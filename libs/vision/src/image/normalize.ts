import type { RgbImage } from './rgb-image.js';
import { rgb8ToPlanarTable } from '../wasm/normalize.kernels.js';

export interface Normalization {
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
  /** Applied before mean/std; 1/255 maps bytes to [0, 1]. */
  rescale: number;
}

export const IMAGENET_NORMALIZATION: Normalization = {
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  rescale: 1 / 255,
};

export const HALF_NORMALIZATION: Normalization = { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], rescale: 1 / 255 };

/**
 * Interleaved RGB bytes → planar float32 [3, H, W] with (x·rescale − mean) / std per channel: one pass over
 * the pixels through a 256-entry table per channel (the same float32 for each byte as computing it each time),
 * run as WebAssembly.
 */
export function toChwFloat32(image: RgbImage, norm: Normalization): Float32Array {
  if (image.data.length !== image.width * image.height * 3) {
    throw new RangeError(`expected ${image.width}×${image.height}×3 bytes, got ${image.data.length}`);
  }
  return rgb8ToPlanarTable(image.data, [channelTable(norm, 0), channelTable(norm, 1), channelTable(norm, 2)]);
}

function channelTable(norm: Normalization, c: number): Float32Array {
  const scale = norm.rescale / norm.std[c];
  const shift = norm.mean[c] / norm.std[c];
  return Float32Array.from({ length: 256 }, (_, v) => v * scale - shift);
}
