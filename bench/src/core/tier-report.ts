import type { Figure, Table } from './benchmark.js';
import { TierMeasurement, pairedRatio } from './interleaved.tiers.js';
import { fmt, ratio } from './stats.js';

/** Rows of one side-by-side measurement: each tier's latency and throughput, and its ratio to the baseline tier. */
export function tierTable(title: string, measurements: TierMeasurement[], baseline: string): Table {
  const base = measurements.find((m) => m.tier === baseline);
  if (!base) throw new Error(`no baseline tier ${baseline}`);
  return {
    title,
    columns: [
      'tier',
      'concurrency',
      'n',
      'median ms',
      'p90 ms',
      'req/s',
      `latency × ${baseline} (paired)`,
      `p90 × ${baseline} (pooled)`,
      `req/s ÷ ${baseline} (paired)`,
    ],
    rows: measurements.map((m) => [
      m.tier,
      m.concurrency,
      m.latencyMs.n,
      fmt(m.latencyMs.median),
      fmt(m.latencyMs.p90),
      fmt(m.throughput),
      fmt(pairedRatio(m.roundMedianMs, base.roundMedianMs).median),
      fmt(ratio(m.latencyMs.p90, base.latencyMs.p90)),
      fmt(pairedRatio(m.roundThroughputs, base.roundThroughputs).median),
    ]),
  };
}

/**
 * Latency ratios of `tier` over `baseline`, as figures: the median of per-round paired ratios of the
 * rounds' median latencies (the headline), and the ratio of pooled p90s (tails need all samples).
 */
export function latencyRatioFigures(
  prefix: string,
  label: string,
  tier: TierMeasurement,
  baseline: TierMeasurement,
): Figure[] {
  const detail = `n=${tier.latencyMs.n} vs n=${baseline.latencyMs.n}, concurrency ${tier.concurrency}`;
  const paired = pairedRatio(tier.roundMedianMs, baseline.roundMedianMs);
  return [
    {
      id: `${prefix}.median`,
      label: `${label} (median latency)`,
      value: paired.median,
      unit: 'x',
      detail: `median of ${paired.perRound.length} per-round ratios; pooled medians ${fmt(tier.latencyMs.median)} ms / ${fmt(baseline.latencyMs.median)} ms; ${detail}`,
    },
    {
      id: `${prefix}.p90`,
      label: `${label} (p90 latency, pooled)`,
      value: ratio(tier.latencyMs.p90, baseline.latencyMs.p90),
      unit: 'x',
      detail: `${fmt(tier.latencyMs.p90)} ms / ${fmt(baseline.latencyMs.p90)} ms; ${detail}`,
    },
  ];
}

/** The measurements without their raw latency arrays' bulk rounded: for the JSON results. */
export function rawMeasurements(measurements: TierMeasurement[]) {
  return measurements.map((m) => ({ ...m, latenciesMs: m.latenciesMs.map((v) => Math.round(v * 1000) / 1000) }));
}

/**
 * Throughput of `tier` over `baseline` as the median of per-round ratios: the two ran in the same
 * rounds, so each round's ratio is paired and slow drift on a shared machine cancels out.
 */
export function throughputRatioFigure(
  id: string,
  label: string,
  tier: TierMeasurement,
  baseline: TierMeasurement,
  imagesPerCall = 1,
): Figure {
  const { median, perRound } = pairedRatio(tier.roundThroughputs, baseline.roundThroughputs);
  const shown =
    perRound.length <= 8
      ? ` (${perRound.map((r) => fmt(r, 2)).join(', ')})`
      : ` (range ${fmt(Math.min(...perRound), 2)}–${fmt(Math.max(...perRound), 2)})`;
  return {
    id,
    label,
    value: median,
    unit: 'x',
    detail:
      `median of ${perRound.length} per-round ratios${shown}; ` +
      `overall ${fmt(tier.throughput * imagesPerCall)} vs ${fmt(baseline.throughput * imagesPerCall)} ${imagesPerCall === 1 ? 'req' : 'img'}/s`,
  };
}
