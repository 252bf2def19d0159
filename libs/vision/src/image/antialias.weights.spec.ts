import { antialiasAxisWeights, antialiasFilterValue, toFixedPoint } from './antialias.weights.js';

function taps(inSize: number, outSize: number, filter: 'bilinear' | 'bicubic', i: number) {
  const axis = antialiasAxisWeights(inSize, outSize, filter);
  const base = i * axis.maxTaps;
  return { start: axis.start[i], weights: Array.from(axis.weights.subarray(base, base + axis.count[i])) };
}

function expectWeights(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((w, k) => expect(w).toBeCloseTo(expected[k], 12));
}

describe('antialiasFilterValue', () => {
  it('is the triangle 1 − |x| for bilinear', () => {
    expect([0, 0.25, -0.5, 1, 1.5].map((x) => antialiasFilterValue('bilinear', x))).toEqual([1, 0.75, 0.5, 0, 0]);
  });

  it("is Keys' cubic with a = −0.5 for bicubic: 1 at 0, 0 at ±1 and ±2, 0.5625 at ½, −0.0625 at 1½", () => {
    // a = −0.5: (1.5·½ − 2.5)·¼ + 1 = 0.5625 and ((−0.5·1.5 + 2.5)·1.5 − 4)·1.5 + 2 = −0.0625.
    const values = [0, 1, 2, 0.5, -1.5, 2.5].map((x) => antialiasFilterValue('bicubic', x));
    [1, 0, 0, 0.5625, -0.0625, 0].forEach((v, k) => expect(values[k]).toBeCloseTo(v, 12));
  });
});

describe('antialiasAxisWeights', () => {
  it('averages [1, 3, 3, 1]/8 when halving with bilinear (support stretched to ±2)', () => {
    // 8 → 4: output 1 is centred on source 3; taps 1..4 at (j + ½ − 3)/2 = −¾, −¼, ¼, ¾.
    expect(taps(8, 4, 'bilinear', 1).start).toBe(1);
    expectWeights(taps(8, 4, 'bilinear', 1).weights, [1 / 8, 3 / 8, 3 / 8, 1 / 8]);
  });

  it('drops the taps outside the image at the edges and renormalises what is left (no edge clamping)', () => {
    // Output 0 is centred on source 1: taps 0..2 with ¾, ¾, ¼, divided by their sum 1¾.
    expect(taps(8, 4, 'bilinear', 0).start).toBe(0);
    expectWeights(taps(8, 4, 'bilinear', 0).weights, [3 / 7, 3 / 7, 1 / 7]);
    expectWeights(taps(8, 4, 'bilinear', 3).weights, [1 / 7, 3 / 7, 3 / 7]);
  });

  it('is plain interpolation when upscaling: bilinear 2 → 4 gives ¾·a + ¼·b inside', () => {
    expectWeights(taps(2, 4, 'bilinear', 1).weights, [0.75, 0.25]);
    // Output 0 (centre 0.25) keeps only tap 0, so it is a itself, like an edge clamp.
    expectWeights(taps(2, 4, 'bilinear', 0).weights, [1]);
  });

  it('renormalises the truncated cubic at an upscaled edge: 2 → 4 gives (111a − 9b)/102 and (111a + 29b)/140', () => {
    // Output 0: taps f(¼) = 111/128 and f(1¼) = −9/128, sum 102/128. Output 1: f(−¼) and f(¾) = 29/128, sum 140/128.
    expectWeights(taps(2, 4, 'bicubic', 0).weights, [111 / 102, -9 / 102]);
    expectWeights(taps(2, 4, 'bicubic', 1).weights, [111 / 140, 29 / 140]);
  });

  it('gives weights that sum to 1 for every output, any sizes', () => {
    for (const [inSize, outSize] of [
      [900, 14],
      [1, 224],
      [333, 518],
      [17, 5],
    ]) {
      for (const filter of ['bilinear', 'bicubic'] as const) {
        const axis = antialiasAxisWeights(inSize, outSize, filter);
        for (let i = 0; i < outSize; i++) {
          const sum = axis.weights
            .subarray(i * axis.maxTaps, i * axis.maxTaps + axis.count[i])
            .reduce((a, b) => a + b, 0);
          expect(sum).toBeCloseTo(1, 12);
          expect(axis.start[i] + axis.count[i]).toBeLessThanOrEqual(inSize);
        }
      }
    }
  });
});

describe('toFixedPoint', () => {
  it('picks the largest precision that keeps the biggest weight in an int16, and rounds half away from zero', () => {
    // Largest weight 3/7: 3/7·2^16 ≈ 28086 < 32768 but 3/7·2^17 ≈ 56173 ≥ 32768, so 16 bits.
    const fixed = toFixedPoint(antialiasAxisWeights(8, 4, 'bilinear'));
    expect(fixed.maxWeight).toBeCloseTo(3 / 7, 12);
    expect(fixed.precision).toBe(16);
    expect(Array.from(fixed.fixed.subarray(fixed.maxTaps, fixed.maxTaps + 4))).toEqual([8192, 24576, 24576, 8192]);
    expect(Array.from(fixed.fixed.subarray(0, 3))).toEqual([28087, 28087, 9362]);
  });

  it('rounds negative cubic lobes away from zero too', () => {
    const fixed = toFixedPoint(antialiasAxisWeights(2, 4, 'bicubic'));
    const scale = 2 ** fixed.precision;
    expect(fixed.fixed[1]).toBe(-Math.round((9 / 102) * scale));
  });
});
