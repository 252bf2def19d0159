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

/**
 * Interleaved RGB bytes → planar float32 [3, H, W] with (x·rescale − mean) / std per channel: one pass over
 * the pixels through a 256-entry table per channel (the same float32 for each byte as computing it each time).
 */
export function toChwFloat32(image: RgbImage, norm: Normalization): Float32Array {
  const plane = image.width * image.height;
  const out = new Float32Array(3 * plane);
  const [red, green, blue] = [0, 1, 2].map((c) => channelTable(norm, c));
  const data = image.data;
  for (let i = 0, p = 0; i < plane; i++, p += 3) {
    out[i] = red[data[p]];
    out[plane + i] = green[data[p + 1]];
    out[2 * plane + i] = blue[data[p + 2]];
  }
  return out;
}

function channelTable(norm: Normalization, c: number): Float32Array {
  const scale = norm.rescale / norm.std[c];
  const shift = norm.mean[c] / norm.std[c];
  return Float32Array.from({ length: 256 }, (_, v) => v * scale - shift);
}
