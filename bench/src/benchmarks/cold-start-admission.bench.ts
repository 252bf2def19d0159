import { performance } from 'node:perf_hooks';
import type { Benchmark, BenchOutcome } from '../core/benchmark.js';
import type { BenchContext } from '../core/bench-context.js';
import { fmt, median, summarize } from '../core/stats.js';
import { getJson, postJson } from '../api/http.client.js';
import { benchImage } from '../fixtures/bench-image.js';

const IDLE_SECONDS = 1;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status, headers: response.headers };
}

async function stateOf(apiUrl: string, type: string): Promise<string> {
  return (await getJson<Record<string, { state: string }>>(`${apiUrl}/models/status`))[type].state;
}

async function waitState(apiUrl: string, type: string, state: string, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while ((await stateOf(apiUrl, type)) !== state) {
    if (Date.now() > deadline) throw new Error(`${type} never became ${state}`);
    await sleep(20);
  }
  return performance.now();
}

export const coldStartAdmissionBenchmark: Benchmark = {
  name: 'cold-start-admission',
  title: 'Cold start (local runtime): Prefer: wait=0 answered at once vs a request held through the load; idle to zero',
  description:
    'DINOv3 demo model on the local runtime, unloaded before every request. In alternating order, a cold POST ' +
    '/inference/dinov3 with `Prefer: wait=0` (503 + Retry-After, the load goes on) and a cold one without Prefer ' +
    '(held until the worker is ready, 200). Then, with FOCAL_IDLE_UNLOAD_SECONDS=1, the time from the last response ' +
    'until /models/status shows the model unloaded (polled every 20 ms).',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const api = await ctx.startApi(ctx.tempDir('hf'), {
      FOCAL_IDLE_UNLOAD_SECONDS: String(IDLE_SECONDS),
      FOCAL_EVICTION_PROTECTION_SECONDS: '0',
    });
    const url = `${api.url}/inference/dinov3`;
    const body = JSON.stringify({ images: [(await benchImage(640, 480)).base64] });
    // One measured load first, so admission uses a measured ETA rather than FOCAL_EXPECTED_LOAD_SECONDS.
    await post(url, body);
    const rounds = ctx.reps(10, 3);
    const deferred: number[] = [];
    const held: number[] = [];
    const retryAfter: number[] = [];
    const idleToZero: number[] = [];
    const coldStart = async (prefer: boolean) => {
      await postJson(`${api.url}/models/unload`, { model_type: 'dinov3' });
      const result = await post(url, body, prefer ? { prefer: 'wait=0' } : {});
      if (prefer) {
        if (result.status !== 503) throw new Error(`Prefer: wait=0 answered ${result.status}`);
        deferred.push(result.ms);
        retryAfter.push(Number(result.headers.get('retry-after')));
        await waitState(api.url, 'dinov3', 'ready');
      } else {
        if (result.status !== 200 || result.headers.get('x-model-cold-start') !== 'true')
          throw new Error(`held request answered ${result.status}`);
        held.push(result.ms);
      }
    };
    for (let i = 0; i < rounds; i++) {
      for (const prefer of i % 2 ? [true, false] : [false, true]) await coldStart(prefer);
      // The model is ready and idle: time from its last response until the idle unloader stopped it.
      const warm = await post(url, body);
      if (warm.status !== 200) throw new Error(`warm request answered ${warm.status}`);
      const lastResponse = performance.now();
      idleToZero.push((await waitState(api.url, 'dinov3', 'unloaded')) - lastResponse);
    }
    const d = summarize(deferred);
    const h = summarize(held);
    const z = summarize(idleToZero);
    const paired = deferred.map((ms, i) => held[i] / ms);
    return {
      figures: [
        {
          id: 'cold_start.held_over_deferred.median',
          label: 'Cold request held through the load ÷ Prefer: wait=0 answered 503, median',
          value: median(paired),
          unit: 'x',
          detail: `${paired.length} paired rounds; medians ${fmt(h.median)} ms / ${fmt(d.median)} ms`,
        },
        {
          id: 'cold_start.deferred.median',
          label: 'Prefer: wait=0 on a cold model: time to the 503, median',
          value: d.median,
          unit: 'ms',
          detail: `n=${d.n}; p90 ${fmt(d.p90)} ms; Retry-After median ${fmt(median(retryAfter))} s`,
        },
        {
          id: 'cold_start.held.median',
          label: 'Cold request without Prefer: time to the 200 (load included), median',
          value: h.median,
          unit: 'ms',
          detail: `n=${h.n}; p90 ${fmt(h.p90)} ms`,
        },
        {
          id: 'idle_unload.to_zero.median',
          label: `Idle to unloaded with FOCAL_IDLE_UNLOAD_SECONDS=${IDLE_SECONDS}, median`,
          value: z.median,
          unit: 'ms',
          detail: `n=${z.n}; p90 ${fmt(z.p90)} ms; from the last response to /models/status "unloaded"`,
        },
      ],
      tables: [
        {
          title: 'Cold-start admission and idle unload (ms)',
          columns: ['what', 'n', 'median', 'p90'],
          rows: [
            ['Prefer: wait=0 → 503 + Retry-After', d.n, fmt(d.median), fmt(d.p90)],
            ['no Prefer → held → 200', h.n, fmt(h.median), fmt(h.p90)],
            [`last response → unloaded (idle ${IDLE_SECONDS} s)`, z.n, fmt(z.median), fmt(z.p90)],
          ],
        },
      ],
      notes: [
        'The unloader checks every quarter of the idle period (and at least once a second), so idle-to-zero is the idle ' +
          'period plus up to a quarter of it, plus the worker stop.',
      ],
      raw: { deferred, held, retryAfter, idleToZero },
    };
  },
};
