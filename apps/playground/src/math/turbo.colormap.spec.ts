import { normalise, turbo, turboImage } from './turbo.colormap.js';

describe('turbo', () => {
  it('starts at the constant terms of the fit (dark blue) and ends at their sums (dark red)', () => {
    expect(turbo(0)).toEqual([35, 23, 27]); // 255 · (0.13572138, 0.09140261, 0.1066733)
    // 255 · Σ coefficients: red 0.56585861, green 0.05038886, blue −0.02552066 (clamped to 0).
    expect(turbo(1)).toEqual([144, 13, 0]);
  });

  it('is green-dominant in the middle, like the Turbo table (0.5 → ≈ (0.64, 0.99, 0.24))', () => {
    const [r, g, b] = turbo(0.5);
    expect(g).toBeGreaterThan(r);
    expect(g).toBeGreaterThan(b);
    expect(Math.abs(g - 0.99 * 255)).toBeLessThan(20);
  });

  it('clamps t outside [0, 1] and maps NaN to the start', () => {
    expect(turbo(-3)).toEqual(turbo(0));
    expect(turbo(7)).toEqual(turbo(1));
    expect(turbo(Number.NaN)).toEqual(turbo(0));
  });
});

describe('normalise and turboImage', () => {
  it('maps min to 0, max to 1, and a flat range to 0', () => {
    expect(normalise(2, 2, 6)).toBe(0);
    expect(normalise(5, 2, 6)).toBe(0.75);
    expect(normalise(6, 2, 6)).toBe(1);
    expect(normalise(4, 4, 4)).toBe(0);
  });

  it('writes opaque RGBA pixels in order', () => {
    const rgba = turboImage([10, 20], 10, 20);
    expect(Array.from(rgba)).toEqual([...turbo(0), 255, ...turbo(1), 255]);
  });
});
