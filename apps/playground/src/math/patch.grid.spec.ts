import { patchAt, patchGrid } from './patch.grid.js';

const token = (v: number) => [v, -v];

describe('patchGrid', () => {
  it('leaves out CLS and the register tokens: 1 + 4 + 196 tokens → 14×14 patches', () => {
    const tokens = Array.from({ length: 201 }, (_, i) => token(i));
    const grid = patchGrid(tokens, 4);
    expect(grid.rows).toBe(14);
    expect(grid.cols).toBe(14);
    expect(grid.tokens[0]).toEqual(token(5));
    expect(grid.tokens[195]).toEqual(token(200));
  });

  it('picks the factorisation closest to the aspect ratio', () => {
    const tokens = Array.from({ length: 1 + 24 }, (_, i) => token(i));
    expect(patchGrid(tokens, 0, 1.5)).toMatchObject({ rows: 4, cols: 6 });
    expect(patchGrid(tokens, 0, 1 / 1.5)).toMatchObject({ rows: 6, cols: 4 });
  });

  it('refuses token lists with no patch left', () => {
    expect(() => patchGrid([token(0), token(1)], 4)).toThrow(/no patch tokens/);
  });
});

describe('patchAt', () => {
  it('maps fractions of the map to row-major patch indices, clamped to the grid', () => {
    const grid = { rows: 14, cols: 14 };
    expect(patchAt(grid, 0, 0)).toBe(0);
    expect(patchAt(grid, 0.999, 0)).toBe(13);
    expect(patchAt(grid, 0.5, 0.5)).toBe(7 * 14 + 7);
    expect(patchAt(grid, 1.5, -1)).toBe(13);
  });
});
