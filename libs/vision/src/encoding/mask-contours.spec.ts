import { ringArea, traceOuterContours } from './mask-contours.js';
import { maskFrom } from './spec-support.js';

describe('ringArea', () => {
  it('is +1 for a unit square listed clockwise on screen (y down) and −1 reversed', () => {
    expect(ringArea([0, 0, 1, 0, 1, 1, 0, 1])).toBe(1);
    expect(ringArea([0, 1, 1, 1, 1, 0, 0, 0])).toBe(-1);
  });

  it('gives half base × height for a right triangle', () => {
    expect(ringArea([0, 0, 4, 0, 0, 3])).toBe(6);
  });
});

describe('traceOuterContours', () => {
  it('returns nothing for an empty mask', () => {
    expect(traceOuterContours(new Uint8Array(12), 3, 4)).toEqual([]);
  });

  it('outlines a single pixel as the unit square on its corners', () => {
    const mask = maskFrom(3, 4, (x, y) => x === 2 && y === 1);
    expect(traceOuterContours(mask, 3, 4)).toEqual([[2, 1, 3, 1, 3, 2, 2, 2]]);
  });

  it('outlines a full mask as the image rectangle', () => {
    expect(traceOuterContours(new Uint8Array(15).fill(1), 3, 5)).toEqual([[0, 0, 5, 0, 5, 3, 0, 3]]);
  });

  it('keeps only corners along straight runs', () => {
    const mask = maskFrom(4, 6, (x, y) => x >= 1 && x <= 4 && y >= 1 && y <= 2);
    expect(traceOuterContours(mask, 4, 6)).toEqual([[1, 1, 5, 1, 5, 3, 1, 3]]);
  });

  it('joins diagonal neighbours into one outline (8-connectivity), pinched at the shared corner', () => {
    const mask = maskFrom(2, 2, (x, y) => x === y);
    expect(traceOuterContours(mask, 2, 2)).toEqual([[0, 0, 1, 0, 1, 1, 2, 1, 2, 2, 1, 2, 1, 1, 0, 1]]);
  });

  it('keeps anti-diagonal neighbours together too', () => {
    const mask = maskFrom(2, 2, (x, y) => x + y === 1);
    const rings = traceOuterContours(mask, 2, 2);
    expect(rings).toHaveLength(1);
    expect(ringArea(rings[0])).toBe(2);
  });

  it('returns the outer boundary of a ring only, enclosing its hole', () => {
    const mask = maskFrom(5, 5, (x, y) => x >= 1 && x <= 3 && y >= 1 && y <= 3 && !(x === 2 && y === 2));
    expect(traceOuterContours(mask, 5, 5)).toEqual([[1, 1, 4, 1, 4, 4, 1, 4]]);
  });

  it('traces an island inside a hole as its own outline', () => {
    const mask = maskFrom(7, 7, (x, y) => Math.max(Math.abs(x - 3), Math.abs(y - 3)) !== 1);
    const rings = traceOuterContours(mask, 7, 7);
    expect(rings.map(ringArea)).toEqual([49, 1]);
  });

  it('outlines an L-shape with its six corners and no repeated start vertex', () => {
    const mask = maskFrom(3, 3, (x, y) => x === 0 || y === 2);
    expect(traceOuterContours(mask, 3, 3)).toEqual([[0, 0, 1, 0, 1, 2, 3, 2, 3, 3, 0, 3]]);
  });
});
