import { rasterizePolygons } from './polygon.rasterizer.js';

const count = (mask: Uint8Array) => mask.reduce((sum, v) => sum + v, 0);

describe('rasterizePolygons', () => {
  it('fills exactly the pixels of an axis-aligned outline [x0,x1) × [y0,y1)', () => {
    const mask = rasterizePolygons([[2, 1, 6, 1, 6, 4, 2, 4]], 6, 8);
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 8; x++) expect(mask[y * 8 + x]).toBe(x >= 2 && x < 6 && y >= 1 && y < 4 ? 1 : 0);
    }
  });

  it('gives back an L-shaped pixel outline, in either winding', () => {
    const outline = [0, 0, 3, 0, 3, 1, 1, 1, 1, 3, 0, 3];
    const reversed = outline.flatMap((_, i, all) =>
      i % 2 === 0 ? [all[all.length - 2 - i], all[all.length - 1 - i]] : [],
    );
    const expected = [1, 1, 1, 1, 0, 0, 1, 0, 0];
    expect(Array.from(rasterizePolygons([outline], 3, 3))).toEqual(expected);
    expect(Array.from(rasterizePolygons([reversed], 3, 3))).toEqual(expected);
  });

  it('covers a right triangle with legs n by the pixels whose centre lies under the diagonal: n(n−1)/2', () => {
    // Centre (x+½, y+½) is inside x + y < n − 1 … i.e. strictly below the hypotenuse x + y = n.
    const n = 10;
    const mask = rasterizePolygons([[0, 0, n, 0, 0, n]], n, n);
    expect(count(mask)).toBe((n * (n - 1)) / 2);
    expect(mask[0]).toBe(1);
    expect(mask[(n - 1) * n + (n - 1)]).toBe(0);
  });

  it('ORs several polygons and clips them to the mask', () => {
    const mask = rasterizePolygons(
      [
        [-5, -5, 2, -5, 2, 2, -5, 2],
        [3, 3, 9, 3, 9, 9, 3, 9],
      ],
      5,
      5,
    );
    expect(count(mask)).toBe(4 + 4);
    expect(mask[0]).toBe(1);
    expect(mask[4 * 5 + 4]).toBe(1);
  });

  it('ignores degenerate polygons with fewer than three vertices', () => {
    expect(count(rasterizePolygons([[0, 0, 4, 4]], 4, 4))).toBe(0);
  });
});
