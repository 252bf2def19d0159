import type { BenchContext } from './bench-context.js';

/** One headline number of a benchmark: usually a ratio of two tiers measured side by side. */
export interface Figure {
  /** Stable key for the JSON results, e.g. "dinov3.c8.http_over_raw.median". */
  id: string;
  label: string;
  value: number;
  unit: 'x' | 'ms' | 'MB' | 'img/s' | 'abs' | 'count';
  /** How the number was formed (which medians, how many samples). */
  detail?: string;
}

/** A table for the generated report: the medians and p90s the figures come from. */
export interface Table {
  title: string;
  columns: string[];
  rows: (string | number)[][];
}

export interface BenchOutcome {
  figures: Figure[];
  tables: Table[];
  /** Caveats worth printing next to the numbers (what was simplified, what was checked). */
  notes: string[];
  /** Everything measured, for bench/results/*.json: raw samples and settings. */
  raw: Record<string, unknown>;
}

/**
 * A benchmark: one measured concept, registered in registry.ts. `run` starts whatever it needs
 * (API processes, sessions) through the context, which stops and removes them afterwards.
 */
export interface Benchmark {
  name: string;
  title: string;
  /** One paragraph for `--list` and the report: what is compared with what. */
  description: string;
  /** Runs only when named with --only (long runs such as the soak), never in a plain `npm run bench`. */
  onlyWhenSelected?: boolean;
  run(ctx: BenchContext): Promise<BenchOutcome>;
}

/** A measurement that has a slot in the registry but is not written yet (shown by --list and in the report). */
export interface PlannedBenchmark {
  name: string;
  title: string;
  description: string;
  /** Where the implementation should hook in. */
  howTo: string;
}
