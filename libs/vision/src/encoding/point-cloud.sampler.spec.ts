import { sampleValidPixels } from './point-cloud.sampler.js';
import { seededRandom } from './spec-support.js';

describe('sampleValidPixels', () => {
  it('keeps every valid pixel, in raster order, when the budget allows', () => {
    const valid = Uint8Array.from([1, 0, 1, 1, 0, 1]);
    expect(sampleValidPixels(valid, 3, 4)).toEqual([0, 2, 3, 5]);
  });

  it('keeps the top-left pixel of each cell of the smallest step that fits the budget', () => {
    const valid = new Uint8Array(40 * 30).fill(1);
    expect(sampleValidPixels(valid, 40, 300)).toHaveLength(300);
    const step3 = sampleValidPixels(valid, 40, 299);
    expect(step3).toHaveLength(14 * 10);
    expect(step3.slice(0, 3)).toEqual([0, 3, 6]);
    expect(step3[14]).toBe(3 * 40);
  });

  it('does not alias a regular pattern of invalid pixels down to nothing', () => {
    // Only odd columns are valid: a corner-of-cell grid with step 2 would keep none of them.
    const valid = Uint8Array.from({ length: 10 * 10 }, (_, i) => (i % 10) % 2);
    const kept = sampleValidPixels(valid, 10, 25);
    expect(kept).toHaveLength(25);
    expect(kept.every((i) => valid[i] === 1)).toBe(true);
  });

  it('stays within budget, keeps only valid pixels and never repeats one, on random patterns', () => {
    const random = seededRandom(9);
    for (const maxPoints of [1, 2, 13, 100, 999]) {
      const valid = Uint8Array.from({ length: 31 * 17 }, () => (random() < 0.3 ? 1 : 0));
      const kept = sampleValidPixels(valid, 31, maxPoints);
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.length).toBeLessThanOrEqual(maxPoints);
      expect(new Set(kept).size).toBe(kept.length);
      expect(kept.every((i) => valid[i] === 1)).toBe(true);
    }
  });

  it('returns nothing when nothing is valid', () => {
    expect(sampleValidPixels(new Uint8Array(6), 3, 10)).toEqual([]);
  });
});
