import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Benchmark, BenchOutcome, Figure } from '../core/benchmark.js';
import type { BenchContext } from '../core/bench-context.js';
import { fmt, percentile } from '../core/stats.js';
import { ADMISSION_OUT_OF_REACH } from '../api/focal-api.process.js';
import { getText, postJson } from '../api/http.client.js';
import { benchImage } from '../fixtures/bench-image.js';
import { LoadClient } from '../api/load.client.js';
import { metricSum } from '@focal/testing';

const IMAGE = { width: 640, height: 480 };
/** A client gives up after this: an answer later than this counts as a timeout. */
const CLIENT_TIMEOUT_MS = 30_000;
const PROBE_CONCURRENCY = [1, 2, 4];

interface Answer {
  status: number;
  retryAfter: string | null;
  ms: number;
}

async function call(client: LoadClient, body: Buffer): Promise<Answer> {
  const started = performance.now();
  const answer = await client.post(body, 'application/json', CLIENT_TIMEOUT_MS);
  return { status: answer.status, retryAfter: answer.retryAfter, ms: performance.now() - started };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Closed loop: `clients` lanes, each sending its next request as soon as it has an answer (or, with
 * `honourRetryAfter`, after the Retry-After of a 503), until `stop`.
 */
async function closedLoop(
  url: string,
  body: Buffer,
  clients: number,
  stop: { requests?: number; ms?: number },
  honourRetryAfter = false,
) {
  const answers: Answer[] = [];
  const deadline = stop.ms === undefined ? Infinity : performance.now() + stop.ms;
  let sent = 0;
  const client = new LoadClient(url, clients);
  const started = performance.now();
  const lane = async () => {
    while (performance.now() < deadline && (stop.requests === undefined || sent < stop.requests)) {
      sent++;
      const answer = await call(client, body);
      answers.push(answer);
      if (honourRetryAfter && answer.status === 503 && answer.retryAfter) {
        await sleep(Math.min(Number(answer.retryAfter) * 1000, Math.max(0, deadline - performance.now())));
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, lane));
  const wallMs = performance.now() - started;
  client.close();
  return { answers, wallMs };
}

interface Tally {
  served: number;
  shedWithRetryAfter: number;
  other: number;
  timedOut: number;
  acceptedMs: number[];
}

function tally(answers: Answer[]): Tally {
  const shed = answers.filter((a) => a.status === 503 && /^[1-9]\d*$/.test(a.retryAfter ?? ''));
  const served = answers.filter((a) => a.status === 200);
  return {
    served: served.length,
    shedWithRetryAfter: shed.length,
    other: answers.length - served.length - shed.length,
    timedOut: answers.filter((a) => a.status === 0).length,
    acceptedMs: served.map((a) => a.ms),
  };
}

function merge(tallies: Tally[]): Tally {
  return {
    served: tallies.reduce((s, t) => s + t.served, 0),
    shedWithRetryAfter: tallies.reduce((s, t) => s + t.shedWithRetryAfter, 0),
    other: tallies.reduce((s, t) => s + t.other, 0),
    timedOut: tallies.reduce((s, t) => s + t.timedOut, 0),
    acceptedMs: tallies.flatMap((t) => t.acceptedMs),
  };
}

/**
 * Throughput at 1, 2 and 4 clients on an API without limits. The clients the machine can serve are the
 * smallest concurrency within 10 % of the best throughput (past it, more clients only queue), capped at the
 * cores: the work is CPU-bound, and on a shared machine neighbours' load can make the curve keep rising.
 */
async function throughputProbe(ctx: BenchContext, url: string, body: Buffer) {
  const probes: { concurrency: number; perSecond: number; p99Ms: number }[] = [];
  for (const concurrency of PROBE_CONCURRENCY) {
    const { answers, wallMs } = await closedLoop(url, body, concurrency, { requests: ctx.reps(40, 12) * concurrency });
    const served = answers.filter((a) => a.status === 200);
    probes.push({
      concurrency,
      perSecond: (served.length * 1000) / wallMs,
      p99Ms: percentile(
        served.map((a) => a.ms),
        99,
      ),
    });
  }
  return probes;
}

/** focal_admission_refusals_held_total, summed over models, from the API's /metrics. */
async function heldRefusals(apiUrl: string): Promise<number> {
  return metricSum(await getText(`${apiUrl}/metrics`), 'focal_admission_refusals_held_total');
}

export const admissionOverloadBenchmark: Benchmark = {
  name: 'admission-overload',
  title: 'Admission control at 4× the clients the machine can serve (DINOv3 demo)',
  description:
    'Finds the clients C the machine serves (the knee of the throughput curve, capped at the cores), then sends ' +
    '4·C closed-loop clients to an API with admission control (FOCAL_MAX_INFLIGHT=C, FOCAL_MAX_QUEUE=C/2, ' +
    'FOCAL_QUEUE_TIMEOUT_MS = the single-client p99 measured first), to the same with the refusal hold off ' +
    '(FOCAL_REFUSAL_HOLD_MAX_MS=0) and to one ' +
    'without (limits out of reach), in alternating rounds with unloaded single-client rounds. Counts 200s, 503s ' +
    'with Retry-After and anything else; compares the accepted p99 with the unloaded p99. The clients are node:http ' +
    'over keep-alive sockets, the body encoded once (fetch would spend ~4× the CPU per call on the shared cores).',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const hfRoot = ctx.tempDir('hf');
    const image = await benchImage(IMAGE.width, IMAGE.height);
    const body = Buffer.from(JSON.stringify({ images: [image.base64] }));
    const unlimited = await ctx.startApi(hfRoot, ADMISSION_OUT_OF_REACH);
    await postJson(`${unlimited.url}/models/load`, { model_type: 'dinov3' });
    const unlimitedUrl = `${unlimited.url}/inference/dinov3`;
    await closedLoop(unlimitedUrl, body, 4, { requests: 40 });
    const probes = await throughputProbe(ctx, unlimitedUrl, body);
    const best = Math.max(...probes.map((probe) => probe.perSecond));
    const knee = probes.find((probe) => probe.perSecond >= 0.9 * best)?.concurrency ?? 1;
    const c = Math.min(availableParallelism(), knee);
    ctx.log(`throughput knee at ${knee} clients, ${availableParallelism()} cores: overload at ${4 * c} clients`);

    // C in flight (what the machine serves), half as many waiting, each for at most the single-client p99
    // measured just before: the latency budget an operator would give the queue (Triton's timeout is set
    // the same way, from the latency target).
    const singleClientP99 = probes[0].p99Ms;
    const limits = {
      FOCAL_MAX_INFLIGHT: String(c),
      FOCAL_MAX_QUEUE: String(Math.max(1, Math.floor(c / 2))),
      FOCAL_QUEUE_TIMEOUT_MS: String(Math.max(50, Math.round(singleClientP99))),
    };
    const limited = await ctx.startApi(hfRoot, limits);
    await postJson(`${limited.url}/models/load`, { model_type: 'dinov3' });
    const limitedUrl = `${limited.url}/inference/dinov3`;
    await closedLoop(limitedUrl, body, 4, { requests: 40 });
    const unpaced = await ctx.startApi(hfRoot, { ...limits, FOCAL_REFUSAL_HOLD_MAX_MS: '0' });
    await postJson(`${unpaced.url}/models/load`, { model_type: 'dinov3' });
    const unpacedUrl = `${unpaced.url}/inference/dinov3`;
    await closedLoop(unpacedUrl, body, 4, { requests: 40 });

    const rounds = ctx.reps(4, 2);
    const overloadMs = ctx.reps(8_000, 3_000);
    const unloaded: Tally[] = [];
    const shedding: Tally[] = [];
    const politeShedding: Tally[] = [];
    const unpacedShedding: Tally[] = [];
    const queueing: Tally[] = [];
    for (let round = 0; round < rounds; round++) {
      ctx.log(`round ${round + 1}/${rounds}: unloaded, ${4 * c} clients with and without admission control`);
      unloaded.push(tally((await closedLoop(limitedUrl, body, 1, { requests: ctx.reps(40, 15) })).answers));
      const tiers = [
        { url: limitedUrl, polite: false, into: shedding },
        { url: limitedUrl, polite: true, into: politeShedding },
        { url: unpacedUrl, polite: false, into: unpacedShedding },
        { url: unlimitedUrl, polite: false, into: queueing },
      ];
      for (const tier of round % 2 === 0 ? tiers : [...tiers].reverse()) {
        const result = await closedLoop(tier.url, body, 4 * c, { ms: overloadMs }, tier.polite);
        tier.into.push(tally(result.answers));
      }
    }
    const base = merge(unloaded);
    const shed = merge(shedding);
    const polite = merge(politeShedding);
    const unpacedShed = merge(unpacedShedding);
    const queued = merge(queueing);
    const held = await heldRefusals(limited.url);
    const p = (t: Tally, q: number) => percentile(t.acceptedMs, q);
    const answered = (t: Tally) => t.served + t.shedWithRetryAfter + t.other;
    const figures: Figure[] = [
      {
        id: 'admission.accepted_p99_over_unloaded_p99',
        label: `4×${c} clients with admission control: accepted p99 ÷ unloaded p99`,
        value: p(shed, 99) / p(base, 99),
        unit: 'x',
        detail: `${fmt(p(shed, 99))} ms / ${fmt(p(base, 99))} ms; n=${shed.served} vs n=${base.served}`,
      },
      {
        id: 'admission.served',
        label: `4×${c} clients with admission control: served (200)`,
        value: shed.served,
        unit: 'count',
        detail: `of ${answered(shed)} answers in ${rounds} × ${overloadMs / 1000} s`,
      },
      {
        id: 'admission.shed',
        label: `4×${c} clients with admission control: shed (503 + Retry-After)`,
        value: shed.shedWithRetryAfter,
        unit: 'count',
      },
      {
        id: 'admission.other',
        label: `4×${c} clients with admission control: any other answer or timeout`,
        value: shed.other,
        unit: 'count',
        detail: `${shed.timedOut} client timeouts (${CLIENT_TIMEOUT_MS / 1000} s)`,
      },
      {
        id: 'admission.refusals_held',
        label: `4×${c} clients with admission control: refusals held (connection back before its Retry-After)`,
        value: held,
        unit: 'count',
        detail: `focal_admission_refusals_held_total; of ${shed.shedWithRetryAfter} refusals`,
      },
      {
        id: 'admission.unpaced.accepted_p99_over_unloaded_p99',
        label: `4×${c} clients, refusal hold off: accepted p99 ÷ unloaded p99`,
        value: p(unpacedShed, 99) / p(base, 99),
        unit: 'x',
        detail: `${fmt(p(unpacedShed, 99))} ms / ${fmt(p(base, 99))} ms; ${unpacedShed.served} served, ${unpacedShed.shedWithRetryAfter} shed, ${unpacedShed.other} other`,
      },
      {
        id: 'admission.polite.accepted_p99_over_unloaded_p99',
        label: `4×${c} clients honouring Retry-After: accepted p99 ÷ unloaded p99`,
        value: p(polite, 99) / p(base, 99),
        unit: 'x',
        detail: `${fmt(p(polite, 99))} ms / ${fmt(p(base, 99))} ms; ${polite.served} served, ${polite.shedWithRetryAfter} shed, ${polite.other} other`,
      },
      {
        id: 'admission.unlimited_p99_over_unloaded_p99',
        label: `4×${c} clients without admission control: p99 ÷ unloaded p99`,
        value: p(queued, 99) / p(base, 99),
        unit: 'x',
        detail: `${fmt(p(queued, 99))} ms / ${fmt(p(base, 99))} ms; ${queued.served} served, ${queued.other} other`,
      },
      {
        id: 'admission.served_throughput_ratio',
        label: `4×${c} clients: served req/s with ÷ without admission control`,
        value: shed.served / Math.max(1, queued.served),
        unit: 'x',
        detail: 'same duration per round, alternating order',
      },
    ];
    const row = (name: string, t: Tally) => [
      name,
      t.served,
      t.shedWithRetryAfter,
      t.other,
      fmt(p(t, 50)),
      fmt(p(t, 90)),
      fmt(p(t, 99)),
    ];
    return {
      figures,
      tables: [
        {
          title: `Throughput by concurrency (no admission limits), DINOv3 demo, ${IMAGE.width}×${IMAGE.height} JPEG`,
          columns: ['clients', 'served req/s', 'p99 (ms)'],
          rows: probes.map((probe) => [probe.concurrency, fmt(probe.perSecond), fmt(probe.p99Ms)]),
        },
        {
          title: `Answers and accepted latency (ms), ${rounds} alternating rounds`,
          columns: ['tier', '200', '503 + Retry-After', 'other', 'p50', 'p90', 'p99'],
          rows: [
            row('unloaded, 1 client', base),
            row(`${4 * c} clients, admission control`, shed),
            row(`${4 * c} clients honouring Retry-After, admission control`, polite),
            row(`${4 * c} clients, admission control, refusal hold off`, unpacedShed),
            row(`${4 * c} clients, no limits`, queued),
          ],
        },
      ],
      notes: [
        `Admission settings of the limited API: ${Object.entries(limits)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}; the other API has limits out of reach.`,
        `The clients the machine can serve: C = ${c}, the smallest concurrency within 10 % of the best throughput (${knee}), capped at the ${availableParallelism()} cores.`,
        'Clients of the first admission tier ignore Retry-After and send their next request at once on the same keep-alive connection, so the API holds each repeated refusal for the rest of the last Retry-After (refusal.pacer.ts); those of the second sleep for the Retry-After of each 503; those of the third ignore it on an API whose refusal hold is off (FOCAL_REFUSAL_HOLD_MAX_MS=0), so each refusal is the next request at once.',
        `Unloaded p99 is over ${base.served} single-client requests taken between the overload phases.`,
      ],
      raw: {
        probes,
        cores: c,
        limits,
        rounds,
        overloadMs,
        unloaded: base,
        shedding: shed,
        politeShedding: polite,
        unpacedShedding: unpacedShed,
        heldRefusals: held,
        queueing: queued,
      },
    };
  },
};
