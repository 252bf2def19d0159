import { parseRange } from './http-range.js';

describe('parseRange', () => {
  it('reads open, closed and suffix ranges', () => {
    expect(parseRange('bytes=10-', 100)).toEqual({ start: 10, end: 99 });
    expect(parseRange('bytes=10-19', 100)).toEqual({ start: 10, end: 19 });
    expect(parseRange('bytes=-5', 100)).toEqual({ start: 95, end: 99 });
  });

  it('clamps the end to the content and refuses ranges past it', () => {
    expect(parseRange('bytes=90-200', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=20-10', 100)).toBe('unsatisfiable');
  });

  it('ignores missing and malformed headers so the whole body is served', () => {
    expect(parseRange(undefined, 100)).toBeUndefined();
    expect(parseRange('items=1-2', 100)).toBeUndefined();
    expect(parseRange('bytes=1-2,5-6', 100)).toBeUndefined();
  });
});
