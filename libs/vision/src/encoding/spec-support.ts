/**
 * Deterministic fixtures for the encoders' specs (not exported from the library index).
 */
export { seededRandom } from '@focal/testing';

/** Row-major 0/1 mask whose pixel (x, y) is set when `inside(x, y)` holds. */
export function maskFrom(height: number, width: number, inside: (x: number, y: number) => boolean): Uint8Array {
  const mask = new Uint8Array(height * width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) mask[y * width + x] = inside(x, y) ? 1 : 0;
  }
  return mask;
}

export function randomMask(height: number, width: number, density: number, random: () => number): Uint8Array {
  return maskFrom(height, width, () => random() < density);
}

export function countOnes(mask: Uint8Array): number {
  return mask.reduce((n, v) => n + v, 0);
}
