import type { RgbImage } from './rgb-image.js';

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

/** Interleaved RGB bytes → planar float32 [3, H, W] with (x·rescale − mean) / std per channel. */
export function toChwFloat32(image: RgbImage, norm: Normalization): Float32Array {
  const plane = image.width * image.height;
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const scale = norm.rescale / norm.std[c];
    const shift = norm.mean[c] / norm.std[c];
    const base = c * plane;
    for (let i = 0; i < plane; i++) out[base + i] = image.data[i * 3 + c] * scale - shift;
  }
  return out;
}
