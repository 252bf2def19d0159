import { covariance, dominantEigenvector, pcaToRgb, principalComponents, project } from './pca.power-iteration.js';

/** Rows a·3·u + b·2·v + c·w + offset, for orthonormal u, v, w and ±1 coefficients in every combination. */
function orthogonalCloud() {
  const s = Math.SQRT1_2;
  const u = [s, s, 0, 0];
  const v = [s, -s, 0, 0];
  const w = [0, 0, 1, 0];
  const rows: number[][] = [];
  for (const a of [-1, 1]) {
    for (const b of [-1, 1]) {
      for (const c of [-1, 1]) rows.push([0, 1, 2, 3].map((j) => 3 * a * u[j] + 2 * b * v[j] + c * w[j] + 10 * j));
    }
  }
  return { rows, u, v, w };
}

describe('dominantEigenvector', () => {
  it('finds the closed form of [[2,1],[1,2]]: eigenvalue 3 along (1,1)/√2', () => {
    const { vector, value } = dominantEigenvector([Float64Array.from([2, 1]), Float64Array.from([1, 2])]);
    expect(value).toBeCloseTo(3, 10);
    expect(Math.abs(vector[0])).toBeCloseTo(Math.SQRT1_2, 8);
    expect(vector[0] * vector[1]).toBeGreaterThan(0);
  });
});

describe('principalComponents', () => {
  it('recovers orthogonal axes with variances 9, 4, 1 and the mean', () => {
    const { rows, u, v, w } = orthogonalCloud();
    const pca = principalComponents(rows, 3);
    expect(Array.from(pca.mean)).toEqual([0, 10, 20, 30].map((m) => expect.closeTo(m, 10)));
    expect(pca.variances.map((x) => +x.toFixed(9))).toEqual([9, 4, 1]);
    [u, v, w].forEach((axis, k) => {
      const dot = axis.reduce((sum, a, j) => sum + a * pca.axes[k][j], 0);
      expect(Math.abs(dot)).toBeCloseTo(1, 8);
    });
  });

  it('fixes each axis sign so its largest entry is positive', () => {
    const { rows } = orthogonalCloud();
    for (const axis of principalComponents(rows, 3).axes) {
      const largest = Array.from(axis).reduce((best, x) => (Math.abs(x) > Math.abs(best) ? x : best), 0);
      expect(largest).toBeGreaterThan(0);
    }
  });

  it('projects rows to their coefficients along the axes (±3, ±2, ±1)', () => {
    const { rows } = orthogonalCloud();
    const coords = project(rows, principalComponents(rows, 3));
    for (const point of coords) expect(Array.from(point, (x) => +Math.abs(x).toFixed(8))).toEqual([3, 2, 1]);
  });

  it('covariance divides by n', () => {
    const mean = Float64Array.from([1]);
    expect(covariance([[0], [2]], mean)[0][0]).toBe(1);
  });
});

describe('pcaToRgb', () => {
  it('scales each component to 0..255 over the rows', () => {
    const rgb = pcaToRgb(orthogonalCloud().rows);
    for (let c = 0; c < 3; c++) {
      const channel = Array.from({ length: 8 }, (_, i) => rgb[i * 3 + c]);
      expect(new Set(channel)).toEqual(new Set([0, 255]));
    }
  });

  it('draws components without spread as mid-grey', () => {
    // Two distinct rows: one direction of variance, so green and blue carry nothing.
    const rgb = pcaToRgb([
      [0, 0, 0],
      [1, 2, 3],
      [0, 0, 0],
    ]);
    expect(Array.from(rgb)).toEqual([0, 128, 128, 255, 128, 128, 0, 128, 128]);
  });
});
