import type { BenchContext } from './bench-context.js';
import { ORT_SPIN_SETTLE_MS, Tier, TierMeasurement, measureTiers } from './interleaved.tiers.js';

/** Rounds of a sweep as [full, --quick]: at c=1 one request per round, at c=8 one wave of 8. */
export interface SweepRounds {
  c1: [number, number];
  c8: [number, number];
}

/**
 * The shape-true benches' sweep: the tiers at concurrency 1 and then 8, one request or one wave per round, a
 * warm-up of one call per client, and the onnxruntime settle before each block (tiers in other processes or
 * sessions). Results are in that order: [c=1 tiers, c=8 tiers]. `tiers` may be built per concurrency, for
 * hooks that keep per-block state (a CPU meter per concurrency).
 */
export async function sweepOneAndEight(
  ctx: BenchContext,
  tiers: Tier[] | ((concurrency: 1 | 8) => Tier[]),
  rounds: SweepRounds,
  what: string,
): Promise<TierMeasurement[][]> {
  const results: TierMeasurement[][] = [];
  for (const concurrency of [1, 8] as const) {
    const [full, quick] = concurrency === 1 ? rounds.c1 : rounds.c8;
    const plan = { concurrency, rounds: ctx.reps(full, quick), requestsPerRound: concurrency, warmup: concurrency };
    const measured = typeof tiers === 'function' ? tiers(concurrency) : tiers;
    ctx.log(`${measured.length} ${what} at concurrency ${concurrency}, ${plan.rounds} rounds × ${concurrency}`);
    results.push(await measureTiers(measured, { ...plan, settleMs: ORT_SPIN_SETTLE_MS }));
  }
  return results;
}
