import type { Figure, Table } from '../core/benchmark.js';
import type { TierCpu } from '../api/process-cpu.js';
import { fmt, ratio } from '../core/stats.js';

/** CPU ms per request of each process, per tier, with each tier's total over the baseline tier's. */
export function cpuTable(title: string, cpus: readonly TierCpu[], baseline: string): Table {
  const base = cpus.find((c) => c.tier === baseline);
  if (!base) throw new Error(`no baseline tier ${baseline}`);
  const roles = [...new Set(cpus.flatMap((c) => Object.keys(c.perRequestMs)))];
  return {
    title,
    columns: [
      'tier',
      'requests',
      ...roles.map((r) => `${r} CPU ms/request`),
      'total ms/request',
      `total ÷ ${baseline}`,
    ],
    rows: cpus.map((c) => [
      c.tier,
      c.requests,
      ...roles.map((r) => (r in c.perRequestMs ? fmt(c.perRequestMs[r]) : '–')),
      fmt(c.totalPerRequestMs),
      fmt(ratio(c.totalPerRequestMs, base.totalPerRequestMs)),
    ]),
  };
}

/** The CPU tables of a sweep at concurrency 1 and then 8 (the shape-true benches' order), against `baseline`. */
export function cpuTablesOfSweep(cpu: readonly (readonly TierCpu[])[], baseline: string): Table[] {
  return cpu.map((tiers, i) =>
    cpuTable(
      `CPU per request by process (user + system, all threads), concurrency ${i === 0 ? 1 : 8}`,
      tiers,
      baseline,
    ),
  );
}

/** One tier's CPU per request, all processes together, over the baseline's. */
export function cpuRatioFigure(id: string, label: string, tier: TierCpu, baseline: TierCpu): Figure {
  const parts = Object.entries(tier.perRequestMs)
    .map(([role, ms]) => `${role} ${fmt(ms)}`)
    .join(', ');
  return {
    id,
    label,
    value: ratio(tier.totalPerRequestMs, baseline.totalPerRequestMs),
    unit: 'x',
    detail: `CPU ms per request: ${parts} (total ${fmt(tier.totalPerRequestMs)}) against ${fmt(baseline.totalPerRequestMs)}; n=${tier.requests}`,
  };
}
