import { imagenetNormalised } from '@focal/testing';
import type { RgbPixels } from './test-images.js';

/**
 * What the processors feed a graph for an image that needs no resize: ImageNet-normalised planar CHW,
 * computed independently of the code under test.
 */
export function imagenetChw(pixels: RgbPixels): Float32Array {
  const plane = pixels.width * pixels.height;
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < plane; i++) out[c * plane + i] = imagenetNormalised(pixels.data[i * 3 + c], c);
  }
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Polls until `probe` returns something other than undefined. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
