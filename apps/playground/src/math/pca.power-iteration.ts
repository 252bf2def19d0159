/** The top principal components of row vectors, found by power iteration on the covariance with deflation. */
export interface PrincipalComponents {
  /** Per-column mean of the data. */
  mean: Float64Array;
  /** Unit axes, strongest first. Each axis's sign is fixed so that its largest-magnitude entry is positive. */
  axes: Float64Array[];
  /** Variance along each axis (the covariance eigenvalues, divided by n). */
  variances: number[];
}

/** Sample covariance (divided by n) of rows, as a dense D×D matrix. */
export function covariance(rows: readonly ArrayLike<number>[], mean: Float64Array): Float64Array[] {
  const d = mean.length;
  const cov = Array.from({ length: d }, () => new Float64Array(d));
  const centred = new Float64Array(d);
  for (const row of rows) {
    for (let j = 0; j < d; j++) centred[j] = row[j] - mean[j];
    for (let i = 0; i < d; i++) {
      const ci = centred[i];
      for (let j = i; j < d; j++) cov[i][j] += ci * centred[j];
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) cov[j][i] = cov[i][j] = cov[i][j] / rows.length;
  }
  return cov;
}

function multiply(matrix: Float64Array[], vector: Float64Array): Float64Array {
  return Float64Array.from(matrix, (row) => row.reduce((sum, v, j) => sum + v * vector[j], 0));
}

function norm(vector: Float64Array): number {
  return Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
}

/** A fixed, non-degenerate start vector, so results are deterministic (no Math.random). */
function startVector(d: number): Float64Array {
  return Float64Array.from({ length: d }, (_, i) => 1 + 0.1 * Math.sin(i + 1));
}

/**
 * Dominant eigenvector of a symmetric PSD matrix; stops when the squared step of the unit vector falls below
 * `tolerance` (the error then shrinks by λ₂/λ₁ per step) or after `iterations` steps.
 */
export function dominantEigenvector(
  matrix: Float64Array[],
  iterations = 300,
  tolerance = 1e-26,
): { vector: Float64Array; value: number } {
  let vector = startVector(matrix.length);
  vector = vector.map((v) => v / norm(vector));
  for (let k = 0; k < iterations; k++) {
    const next = multiply(matrix, vector);
    const length = norm(next);
    if (length === 0) return { vector, value: 0 };
    next.forEach((v, i) => (next[i] = v / length));
    const moved = next.reduce((sum, v, i) => sum + (v - vector[i]) ** 2, 0);
    vector = next;
    if (moved < tolerance) break;
  }
  const value = multiply(matrix, vector).reduce((sum, v, i) => sum + v * vector[i], 0);
  return { vector, value };
}

function fixSign(vector: Float64Array): Float64Array {
  let largest = 0;
  for (let i = 1; i < vector.length; i++) if (Math.abs(vector[i]) > Math.abs(vector[largest])) largest = i;
  return vector[largest] < 0 ? vector.map((v) => -v) : vector;
}

export function principalComponents(rows: readonly ArrayLike<number>[], count: number): PrincipalComponents {
  const d = rows[0]?.length ?? 0;
  const mean = new Float64Array(d);
  for (const row of rows) for (let j = 0; j < d; j++) mean[j] += row[j] / rows.length;
  const cov = covariance(rows, mean);
  const axes: Float64Array[] = [];
  const variances: number[] = [];
  for (let k = 0; k < Math.min(count, d); k++) {
    const { vector, value } = dominantEigenvector(cov);
    axes.push(fixSign(vector));
    variances.push(Math.max(0, value));
    // Deflation: remove the found component so the next iteration converges to the next one.
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i][j] -= value * vector[i] * vector[j];
  }
  return { mean, axes, variances };
}

/** Coordinates of each row along each axis (rows centred on the mean). */
export function project(rows: readonly ArrayLike<number>[], pca: PrincipalComponents): Float64Array[] {
  return rows.map((row) =>
    Float64Array.from(pca.axes, (axis) => axis.reduce((sum, a, j) => sum + a * (row[j] - pca.mean[j]), 0)),
  );
}

/**
 * The classic DINO picture: the first three components, each min-max scaled over the rows to 0..255, as RGB.
 * A component with no spread (fewer than three directions of variance) is drawn as mid-grey 128.
 */
export function pcaToRgb(rows: readonly ArrayLike<number>[]): Uint8ClampedArray {
  const pca = principalComponents(rows, 3);
  const coords = project(rows, pca);
  const rgb = new Uint8ClampedArray(rows.length * 3).fill(128);
  for (let c = 0; c < pca.axes.length; c++) {
    const values = coords.map((p) => p[c]);
    const min = Math.min(...values);
    const max = Math.max(...values);
    if (!(pca.variances[c] > 1e-12) || max <= min) continue;
    values.forEach((v, i) => (rgb[i * 3 + c] = Math.round((255 * (v - min)) / (max - min))));
  }
  return rgb;
}
