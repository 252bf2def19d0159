import { createHash } from 'node:crypto';
import type { RgbImage } from '../../image/rgb-image.js';

/**
 * Content key of a decoded image: sha256 over its dimensions and RGB bytes. Equal keys mean equal pixels, hence
 * equal encoder input; the dimensions are hashed too so a reshaped buffer of the same bytes cannot collide.
 */
export function imageContentKey(image: RgbImage): string {
  const dims = Buffer.from(`${image.width}x${image.height}:`);
  return createHash('sha256').update(dims).update(image.data).digest('hex');
}
