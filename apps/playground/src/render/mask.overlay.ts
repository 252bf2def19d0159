/** A mask to paint: row-major 0/1 bytes of the image size, in one colour. */
export interface ColouredMask {
  mask: Uint8Array;
  colour: readonly [number, number, number];
}

/**
 * Alpha-blends each mask's colour over RGBA pixels in place: out = (1 − α)·pixel + α·colour, masks applied
 * in order (so a later mask tints an earlier one where they overlap).
 */
export function blendMasks(rgba: Uint8ClampedArray, masks: readonly ColouredMask[], alpha: number): void {
  for (const { mask, colour } of masks) {
    if (mask.length * 4 !== rgba.length) throw new RangeError('mask and image sizes differ');
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i]) continue;
      const p = i * 4;
      for (let c = 0; c < 3; c++) rgba[p + c] = (1 - alpha) * rgba[p + c] + alpha * colour[c];
    }
  }
}
