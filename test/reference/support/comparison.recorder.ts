import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { COMPARISONS_FILE, type Comparison } from './comparison.types.js';

export type { Comparison } from './comparison.types.js';

/**
 * Every reference test file records its comparisons here. Jest gives each test file its own module
 * registry, so the records go to one JSON-lines file that the reporter (comparison.reporter.js) empties at
 * the start of a run and prints as one table at the end, with the final `reference: N/M …` line.
 */
export function recordComparison(comparison: Comparison): Comparison & { within: boolean } {
  const within = Number.isFinite(comparison.maxError) && comparison.maxError <= comparison.tolerance;
  const record = { ...comparison, within };
  mkdirSync(dirname(COMPARISONS_FILE), { recursive: true });
  appendFileSync(COMPARISONS_FILE, JSON.stringify(record) + '\n');
  return record;
}

/** Records the comparison, then fails the test unless it is within tolerance (NaN never is). */
export function expectWithinTolerance(comparison: Comparison): void {
  const record = recordComparison(comparison);
  const label = `${comparison.family} × ${comparison.image} × ${comparison.metric}`;
  if (!record.within) {
    throw new Error(
      `${label}: max error ${comparison.maxError} above tolerance ${comparison.tolerance}` +
        (comparison.detail ? ` (${comparison.detail})` : ''),
    );
  }
  expect(record.maxError).toBeLessThanOrEqual(record.tolerance);
}
