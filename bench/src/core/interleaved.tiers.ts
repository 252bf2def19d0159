import { runLoad } from './load.runner.js';
import { Summary, median, summarize } from './stats.js';

/** One way of doing the same work (raw session.run, in-process pipeline, HTTP, …). */
export interface Tier {
  name: string;
  call: (index: number) => Promise<unknown>;
  /** Called around each measured block, e.g. to read a worker's batch counters. */
  beforeBlock?: () => Promise<void>;
  afterBlock?: () => Promise<void>;
}

export interface TierPlan {
  concurrency: number;
  /**
   * Rounds; each round runs every tier once, in alternating order. Keep rounds short (one request at
   * concurrency 1, one or two waves at concurrency 8) and many: on a shared machine the background
   * load changes within seconds, and only tiers measured moments apart see the same machine.
   */
  rounds: number;
  requestsPerRound: number;
  /** Unrecorded calls per tier before the first round (JIT, allocator, connection pool). */
  warmup: number;
  /**
   * A pause before each measured block, so that no tier pays for the one before it. onnxruntime's intra-op
   * pool keeps a thread spinning on a core for about 45 ms after every run, in whichever process ran it
   * (measured on this machine); an HTTP tier that followed an in-process tier paid ~16 ms for the bench
   * process's spinner, where one that followed another HTTP tier reused its own worker's warm pool.
   */
  settleMs?: number;
}

/** settleMs for tiers that run onnxruntime in different processes or sessions: twice the spin, measured. */
export const ORT_SPIN_SETTLE_MS = 100;

export interface TierMeasurement {
  tier: string;
  concurrency: number;
  latencyMs: Summary;
  /** Requests per second over all measured blocks (total requests / total wall time). */
  throughput: number;
  /** Throughput of each round (paired with the other tiers' same round). */
  roundThroughputs: number[];
  /** Median latency of each round (paired likewise). */
  roundMedianMs: number[];
  latenciesMs: number[];
}

/**
 * Median over rounds of value(tier) / value(baseline) in the same round: a paired ratio, robust to
 * the machine getting faster or slower between rounds.
 */
export function pairedRatio(tier: number[], baseline: number[]): { median: number; perRound: number[] } {
  const perRound = tier.map((v, i) => v / baseline[i]);
  return { median: median(perRound), perRound };
}

/**
 * Measures tiers side by side: warm-up, then `rounds` rounds of `requestsPerRound` calls per tier,
 * with the tier order reversed every other round (ABC, CBA, …).
 */
export async function measureTiers(tiers: Tier[], plan: TierPlan): Promise<TierMeasurement[]> {
  const samples = new Map(
    tiers.map((t) => [
      t.name,
      { latencies: [] as number[], wallMs: 0, requests: 0, rounds: [] as number[], medians: [] as number[] },
    ]),
  );
  for (const tier of tiers) {
    if (plan.warmup > 0) await runLoad(tier.call, { concurrency: plan.concurrency, requests: plan.warmup });
  }
  for (let round = 0; round < plan.rounds; round++) {
    const order = round % 2 === 0 ? tiers : [...tiers].reverse();
    for (const tier of order) {
      if (plan.settleMs) await new Promise((done) => setTimeout(done, plan.settleMs));
      await tier.beforeBlock?.();
      const result = await runLoad(tier.call, { concurrency: plan.concurrency, requests: plan.requestsPerRound });
      await tier.afterBlock?.();
      const s = samples.get(tier.name)!;
      s.latencies.push(...result.latenciesMs);
      s.wallMs += result.wallMs;
      s.requests += result.requests;
      s.rounds.push((result.requests / result.wallMs) * 1000);
      s.medians.push(median(result.latenciesMs));
    }
  }
  return tiers.map((tier) => {
    const s = samples.get(tier.name)!;
    return {
      tier: tier.name,
      concurrency: plan.concurrency,
      latencyMs: summarize(s.latencies),
      throughput: (s.requests / s.wallMs) * 1000,
      roundThroughputs: s.rounds,
      roundMedianMs: s.medians,
      latenciesMs: s.latencies,
    };
  });
}
