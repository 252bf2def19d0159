import { float32Decimal, writeFloat32Decimal } from './float32-decimal.js';
import { logUniformFloat32s, randomFloat32Bits } from './float32.spec-support.js';

const scratch = new Uint8Array(32);
const text = (x: number) => Buffer.from(scratch.buffer, 0, writeFloat32Decimal(x, scratch, 0)).toString('latin1');

/** Seeded float32 values over every exponent: random bit patterns, NaN and infinities skipped. */
const randomFloat32s = (count: number, seed: number) => randomFloat32Bits(count, seed, true);

/** Seeded float32 values log-uniform over 1e-7 … 1e21, where the fast path prints (and features live). */
const everydayFloat32s = (count: number, seed: number) => logUniformFloat32s(count, seed, -7, 28);

/** The reference: the fewest significant digits k whose toPrecision(k) reads back as x. */
function shortestByToPrecision(x: number): number {
  for (let k = 1; k <= 9; k++) if (Math.fround(Number(x.toPrecision(k))) === x) return k;
  return Infinity;
}

const significantDigits = (decimal: string) =>
  decimal
    .replace(/^-/, '')
    .replace(/e.*$/, '')
    .replace(/^[0.]+/, '')
    .replace(/\./, '')
    .replace(/0+$/, '').length || 1;

describe('writeFloat32Decimal', () => {
  it('prints closed-form values the way numpy prints float32', () => {
    const cases: [number, string][] = [
      [0.1, '0.1'],
      [1 / 3, '0.33333334'],
      [-2.5, '-2.5'],
      [16777216, '16777216'],
      [123456.789, '123456.79'],
      [1.5e-6, '0.0000015'],
      [1e-7, '1e-7'],
      [3.4028234663852886e38, '3.4028235e+38'],
      [1e20, '100000000000000000000'],
      [1e-45, '1e-45'],
    ];
    for (const [value, expected] of cases) expect(text(Math.fround(value))).toBe(expected);
  });

  it('prints NaN and ±∞ as null and −0 as 0, as JSON.stringify does', () => {
    expect([NaN, Infinity, -Infinity, -0, 0].map(text)).toEqual(['null', 'null', 'null', '0', '0']);
  });

  it('reads back as the same float32, and as the float64 float32Decimal gives, over all exponents', () => {
    let worse = 0;
    for (const x of [...randomFloat32s(100_000, 11), ...everydayFloat32s(400_000, 3)]) {
      const printed = text(x);
      if (Math.fround(Number(printed)) !== x || String(float32Decimal(x)) !== printed) worse++;
    }
    expect(worse).toBe(0);
  });

  it('reads back at every power of ten and its float32 neighbours, where the exponent search turns', () => {
    const view = new Float32Array(1);
    const bits = new Uint32Array(view.buffer);
    let worse = 0;
    for (let n = -45; n <= 38; n++) {
      view[0] = 10 ** n;
      const centre = bits[0];
      for (let step = -2; step <= 2; step++) {
        bits[0] = centre + step;
        const x = view[0];
        if (!Number.isFinite(x) || x === 0) continue;
        if (Math.fround(Number(text(x))) !== x || String(float32Decimal(x)) !== text(x)) worse++;
      }
    }
    expect(worse).toBe(0);
  });

  it('uses as few digits as the toPrecision search, and never more characters than JavaScript’s float64 text', () => {
    let longer = 0;
    let moreDigits = 0;
    for (const x of [...randomFloat32s(20_000, 5), ...everydayFloat32s(100_000, 9)]) {
      const printed = text(x);
      if (printed.length > JSON.stringify(x).length) longer++;
      if (significantDigits(printed) > shortestByToPrecision(x)) moreDigits++;
    }
    expect(longer).toBe(0);
    expect(moreDigits).toBe(0);
  });

  it('gives feature-like values 9 or fewer significant digits (about 11 characters, not 19)', () => {
    const values = Float32Array.from({ length: 10_000 }, (_, i) => Math.sin(i * 0.37) * 3.1);
    const printed = Array.from(values, text);
    expect(Math.max(...printed.map(significantDigits))).toBeLessThanOrEqual(9);
    const ours = printed.join(',').length;
    const javascript = JSON.stringify(Array.from(values)).length;
    expect(ours / javascript).toBeLessThan(0.7);
  });
});
