import { simplifyRing } from './ring-simplify.js';

describe('simplifyRing', () => {
  it('returns the ring unchanged at tolerance 0', () => {
    const ring = [0, 0, 2, 0, 2, 1, 3, 1, 3, 3, 0, 3];
    expect(simplifyRing(ring, 0)).toBe(ring);
  });

  it('drops a vertex closer than the tolerance to its chord and keeps one farther away', () => {
    // A square with a 0.4-deep notch in the middle of its top edge.
    const ring = [0, 0, 5, 0.4, 10, 0, 10, 10, 0, 10];
    expect(simplifyRing(ring, 0.5)).toEqual([0, 0, 10, 0, 10, 10, 0, 10]);
    expect(simplifyRing(ring, 0.3)).toEqual(ring);
  });

  it('keeps the first vertex first, so outputs start where the trace started', () => {
    const ring = [3, 0, 6, 0, 6, 6, 0, 6, 0, 3, 3, 3];
    expect(simplifyRing(ring, 0.1).slice(0, 2)).toEqual([3, 0]);
  });

  it('falls back to the input rather than collapsing below 3 vertices', () => {
    const unitSquare = [0, 0, 1, 0, 1, 1, 0, 1];
    expect(simplifyRing(unitSquare, 5)).toEqual(unitSquare);
  });
});
