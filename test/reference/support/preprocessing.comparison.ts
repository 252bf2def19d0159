import { absoluteErrors, toLevels } from './error.metrics.js';
import { expectWithinTolerance } from './comparison.recorder.js';
import { type FixtureArray, type ReferenceFixture, readFixtureArray } from './fixture.reader.js';

/** ≤ 1 8-bit level at the 99.9th percentile and ≤ 2 levels anywhere, in [0, 255] space before normalisation. */
export const LEVEL_TOLERANCE = { p999: 1, max: 2 };

/**
 * Focal's pixel_values (from the debug hook) against HF's processor output, in 8-bit levels, both as
 * the max and the 99.9th percentile. The shapes must agree first: a different resize size is a failure.
 */
export function comparePixelValues(
  fixture: ReferenceFixture,
  image: string,
  entry: FixtureArray,
  dims: readonly number[],
  pixelValues: Float32Array,
): void {
  expect(dims.slice(1)).toEqual(entry.shape);
  const mean = entry.mean as number[];
  const std = entry.std as number[];
  const errors = absoluteErrors(toLevels(pixelValues, mean, std), readFixtureArray(fixture, entry));
  const shape = entry.shape.slice(1).join('×');
  const stored = `reference stored to ±${(entry.quantisation_levels ?? 0).toFixed(4)} levels`;
  expectWithinTolerance({
    family: fixture.family,
    image,
    metric: 'pixel_values p99.9 (levels)',
    maxError: errors.p999,
    tolerance: LEVEL_TOLERANCE.p999,
    detail: `${shape}`,
  });
  expectWithinTolerance({
    family: fixture.family,
    image,
    metric: 'pixel_values max (levels)',
    maxError: errors.max,
    tolerance: LEVEL_TOLERANCE.max,
    detail: `${shape}, ${stored}`,
  });
}
