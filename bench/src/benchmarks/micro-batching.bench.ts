import type { Benchmark, BenchOutcome } from '../core/benchmark.js';
import type { BenchContext } from '../core/bench-context.js';
import { ORT_SPIN_SETTLE_MS, Tier, TierMeasurement, measureTiers } from '../core/interleaved.tiers.js';
import type { Tensor } from '@focal/vision';
import { seededRandom } from '@focal/testing';
import { fmt, ratio } from '../core/stats.js';
import { latencyRatioFigures, rawMeasurements, throughputRatioFigure } from '../core/tier-report.js';
import { ADMISSION_OUT_OF_REACH, type FocalApiProcess } from '../api/focal-api.process.js';
import { postForBytes, postJson } from '../api/http.client.js';
import { BatchCounters, WorkerBatchProbe } from '../api/worker-metrics.probe.js';
import { benchImage } from '../fixtures/bench-image.js';
import { DINOV3_FIXTURE } from '../fixtures/family-fixtures.js';
import { sharedShapeTrueDepth, sharedShapeTrueDinov3 } from '../models/shape-true.shared.js';
import { createCpuSession, repeatBatch, toOrtFeeds } from '../onnx/ort-session.js';
import { OnnxGraphRunner } from '@focal/onnx-runtime';

const CONCURRENCY = 8;
const DELAY_MS = 2;
const DEPTH_BATCH = 4;

/** A seeded input tensor in the normalised range a processor gives. */
function seededPixels(dims: number[]): Tensor {
  const random = seededRandom(5);
  const data = Float32Array.from({ length: dims.reduce((n, d) => n * d, 1) }, () => (random() - 0.5) * 4);
  return { dtype: 'float32', dims, data };
}

/** Mean images per session.run over a measured block, from counters read before and after it. */
class BatchTally {
  images = 0;
  runs = 0;
  add(images: number, runs: number): void {
    this.images += images;
    this.runs += runs;
  }
  get mean(): number {
    return this.runs === 0 ? Number.NaN : this.images / this.runs;
  }
}

interface CounterSource {
  read(): Promise<BatchCounters>;
}

/** Batch counters of an in-process runner, fed by its RunObserver. */
class RunnerCounters implements CounterSource {
  private images = 0;
  private runs = 0;
  onRun(_graph: string, batchSize: number): void {
    this.images += batchSize;
    this.runs += 1;
  }
  async read(): Promise<BatchCounters> {
    return { images: this.images, runs: this.runs };
  }
}

/** A tier whose measured blocks are bracketed by counter reads (warm-up excluded), so its mean batch size is known. */
function probedTier(name: string, call: Tier['call'], probe: CounterSource | undefined, tally: BatchTally): Tier {
  let before = { images: 0, runs: 0 };
  return {
    name,
    call,
    beforeBlock: async () => {
      if (probe) before = await probe.read();
    },
    afterBlock: async () => {
      if (!probe) return;
      const after = await probe.read();
      tally.add(after.images - before.images, after.runs - before.runs);
    },
  };
}

export const microBatchingBenchmark: Benchmark = {
  name: 'micro-batching',
  title: 'Micro-batching throughput gain at concurrency 8 (shape-true ViT-S/16)',
  description:
    'images/s at concurrency 8 with FOCAL_MAX_BATCH_SIZE=8 vs =1 (delay 2 ms): end to end through two API processes ' +
    'that differ only in that setting, in process through OnnxGraphRunner/MicroBatcher on the preprocessed tensor, ' +
    'and the ceiling: one session.run of batch 8 vs 8 sequential batch-1 runs; the same ceiling for a large input ' +
    '(DA2-Small at 518×686, batch 4 vs 4 × 1), on which the CPU default of FOCAL_MAX_BATCH_ELEMENTS rests.',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const model = await sharedShapeTrueDinov3(ctx);
    const image = await benchImage(640, 480);
    const body = JSON.stringify({ images: [image.base64] });
    // Many short alternating blocks of one wave of 8: on a shared machine the load changes within seconds.
    const rounds = ctx.reps(8, 2);
    const perRound = CONCURRENCY;

    // End to end: two APIs, identical but for the batch size their worker gets.
    const apis: { maxBatch: number; api: FocalApiProcess; probe: WorkerBatchProbe | undefined; tally: BatchTally }[] =
      [];
    for (const maxBatch of [1, 8]) {
      const api = await ctx.startApi(ctx.tempDir('hf'), {
        ...ADMISSION_OUT_OF_REACH,
        FOCAL_MAX_BATCH_SIZE: String(maxBatch),
        FOCAL_MAX_BATCH_DELAY_MS: String(DELAY_MS),
      });
      await postJson(`${api.url}/models/load`, { model_type: 'dinov3', model_id: model.dir });
      apis.push({ maxBatch, api, probe: await WorkerBatchProbe.find(api.pid, 'dinov3'), tally: new BatchTally() });
    }
    ctx.log(`HTTP, batch 1 vs 8 at concurrency ${CONCURRENCY}, ${rounds} rounds × ${perRound}`);
    const httpTiers = apis.map((a) =>
      probedTier(
        `HTTP, max batch ${a.maxBatch}`,
        () => postForBytes(`${a.api.url}/inference/dinov3`, body),
        a.probe,
        a.tally,
      ),
    );
    const http = await measureTiers(httpTiers, {
      concurrency: CONCURRENCY,
      rounds,
      requestsPerRound: perRound,
      warmup: CONCURRENCY,
    });
    for (const a of apis) await a.api.stop();

    // In process: the worker's runner over one session, batching off vs on.
    const session = await createCpuSession(model.onnxPath);
    const pixels = await DINOV3_FIXTURE.preprocess(image.decoded);
    const runnerTallies = [new BatchTally(), new BatchTally()];
    const runnerTiers = [1, 8].map((maxBatchSize, i) => {
      const counters = new RunnerCounters();
      const runner = new OnnxGraphRunner({ model: session }, { maxBatchSize, maxDelayMs: DELAY_MS }, counters);
      return probedTier(
        `OnnxGraphRunner, max batch ${maxBatchSize}`,
        () => runner.run('model', { pixel_values: pixels }),
        counters,
        runnerTallies[i],
      );
    });
    ctx.log(`OnnxGraphRunner, batch 1 vs 8 at concurrency ${CONCURRENCY}`);
    const inProcess = await measureTiers(runnerTiers, {
      concurrency: CONCURRENCY,
      rounds,
      requestsPerRound: perRound,
      warmup: CONCURRENCY,
    });

    // Ceiling: the same 8 images as one batch vs one at a time, no concurrency.
    const single = toOrtFeeds({ pixel_values: pixels });
    const stacked = toOrtFeeds({ pixel_values: repeatBatch(pixels, 8) });
    ctx.log('session.run batch 8 vs 8 × batch 1');
    const ceiling = await measureTiers(
      [
        {
          name: 'session.run 8 × batch 1',
          call: async () => {
            for (let i = 0; i < 8; i++) await session.run(single);
          },
        },
        { name: 'session.run batch 8', call: () => session.run(stacked) },
      ],
      { concurrency: 1, rounds: ctx.reps(12, 2), requestsPerRound: 1, warmup: 1 },
    );
    await session.release();

    // The same ceiling for a large input: DA2-Small at 518×686 (the input of a 640×480 photo), batch 4 vs 4 × 1.
    // This is what FOCAL_MAX_BATCH_ELEMENTS's CPU default rests on.
    const depthModel = await sharedShapeTrueDepth(ctx);
    const depthSession = await createCpuSession(depthModel.onnxPath);
    const depthPixels = seededPixels([1, 3, 518, 686]);
    const depthSingle = toOrtFeeds({ pixel_values: depthPixels });
    const depthStacked = toOrtFeeds({ pixel_values: repeatBatch(depthPixels, DEPTH_BATCH) });
    ctx.log(`DA2-Small session.run batch ${DEPTH_BATCH} vs ${DEPTH_BATCH} × batch 1`);
    const depthCeiling = await measureTiers(
      [
        {
          name: `DA2-Small 518×686, session.run ${DEPTH_BATCH} × batch 1`,
          call: async () => {
            for (let i = 0; i < DEPTH_BATCH; i++) await depthSession.run(depthSingle);
          },
        },
        { name: `DA2-Small 518×686, session.run batch ${DEPTH_BATCH}`, call: () => depthSession.run(depthStacked) },
      ],
      { concurrency: 1, rounds: ctx.reps(3, 1), requestsPerRound: 1, warmup: 1, settleMs: ORT_SPIN_SETTLE_MS },
    );
    await depthSession.release();

    const meanBatch = (label: string, tally: BatchTally) => `${label}: ${tally.runs > 0 ? fmt(tally.mean) : 'n/a'}`;
    const imagesPerSecond = (m: TierMeasurement, imagesPerCall: number) => m.throughput * imagesPerCall;
    return {
      figures: [
        throughputRatioFigure('batching.http.gain', 'HTTP images/s, max batch 8 ÷ max batch 1 (c=8)', http[1], http[0]),
        // Waves of 8 wait for the batch they join: what batching costs a request when it buys no throughput.
        ...latencyRatioFigures('batching.http.latency', 'HTTP, max batch 8 ÷ max batch 1 (c=8)', http[1], http[0]),
        throughputRatioFigure(
          'batching.runner.gain',
          'OnnxGraphRunner images/s, max batch 8 ÷ max batch 1 (c=8)',
          inProcess[1],
          inProcess[0],
        ),
        throughputRatioFigure(
          'batching.session.ceiling',
          'session.run images/s, batch 8 ÷ 8 × batch 1 (the ceiling)',
          ceiling[1],
          ceiling[0],
          8,
        ),
        throughputRatioFigure(
          'batching.depth.ceiling',
          `DA2-Small 518×686 session.run images/s, batch ${DEPTH_BATCH} ÷ ${DEPTH_BATCH} × batch 1`,
          depthCeiling[1],
          depthCeiling[0],
          DEPTH_BATCH,
        ),
      ],
      tables: [
        {
          title: `ViT-S/16 shape-true, concurrency ${CONCURRENCY}, max delay ${DELAY_MS} ms (and the DA2-Small ceiling)`,
          columns: ['configuration', 'n', 'img/s', 'median ms', 'p90 ms', 'mean batch', 'img/s ÷ batch 1 (pooled)'],
          rows: [
            ...[http, inProcess].flatMap((pair, p) =>
              pair.map((m, i) => {
                const tally = p === 0 ? apis[i].tally : runnerTallies[i];
                return [
                  m.tier,
                  m.latencyMs.n,
                  fmt(m.throughput),
                  fmt(m.latencyMs.median),
                  fmt(m.latencyMs.p90),
                  tally.runs > 0 ? fmt(tally.mean) : 'n/a',
                  fmt(ratio(m.throughput, pair[0].throughput)),
                ];
              }),
            ),
            ...ceiling.map((m) => [
              m.tier,
              m.latencyMs.n,
              fmt(imagesPerSecond(m, 8)),
              fmt(m.latencyMs.median),
              fmt(m.latencyMs.p90),
              m.tier.endsWith('batch 8') ? 8 : 1,
              fmt(ratio(m.throughput, ceiling[0].throughput)),
            ]),
            ...depthCeiling.map((m) => [
              m.tier,
              m.latencyMs.n,
              fmt(imagesPerSecond(m, DEPTH_BATCH)),
              fmt(m.latencyMs.median),
              fmt(m.latencyMs.p90),
              m.tier.endsWith(`batch ${DEPTH_BATCH}`) ? DEPTH_BATCH : 1,
              fmt(ratio(m.throughput, depthCeiling[0].throughput)),
            ]),
          ],
        },
      ],
      notes: [
        "Mean batch = images ÷ session.run calls during the measured blocks: read from each worker's focal_worker_batch_size histogram (its /metrics port found via /proc) for HTTP, and from the runner's RunObserver in process; warm-up calls excluded.",
        `Batch sizes seen: ${[meanBatch('HTTP max 8', apis[1].tally), meanBatch('runner max 8', runnerTallies[1])].join('; ')}.`,
        'For "session.run" rows, one call is 8 images (4 for DA2-Small), so n counts calls, latency is per call and img/s = images per call × calls/s.',
      ],
      raw: {
        concurrency: CONCURRENCY,
        delayMs: DELAY_MS,
        http: rawMeasurements(http),
        httpBatches: apis.map((a) => ({ maxBatch: a.maxBatch, images: a.tally.images, runs: a.tally.runs })),
        inProcess: rawMeasurements(inProcess),
        runnerBatches: runnerTallies.map((t, i) => ({ maxBatch: i === 0 ? 1 : 8, images: t.images, runs: t.runs })),
        ceiling: rawMeasurements(ceiling),
        depthCeiling: rawMeasurements(depthCeiling),
      },
    };
  },
};
