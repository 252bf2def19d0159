import type { Benchmark, BenchOutcome, Figure, Table } from '../core/benchmark.js';
import type { BenchContext } from '../core/bench-context.js';
import { TierMeasurement, ORT_SPIN_SETTLE_MS, measureTiers } from '../core/interleaved.tiers.js';
import { fmt } from '../core/stats.js';
import { latencyRatioFigures, rawMeasurements, throughputRatioFigure, tierTable } from '../core/tier-report.js';
import { postForBytes, postJson } from '../api/http.client.js';
import { apiMemory } from '../api/process-memory.js';
import { benchImage } from '../fixtures/bench-image.js';
import { DEPTH_FIXTURE, DINOV3_FIXTURE, FamilyFixture, demoModelGraph } from '../fixtures/family-fixtures.js';
import { InProcessPipeline } from '../onnx/in-process.pipeline.js';
import { createCpuSession, toOrtFeeds } from '../onnx/ort-session.js';
import { memoryFigures, memoryTable } from '../report/memory.tables.js';

/** The worker's defaults (FOCAL_MAX_BATCH_SIZE=8, FOCAL_MAX_BATCH_DELAY_MS=2), used by the in-process tier too. */
const WORKER_BATCHING = { maxBatchSize: 8, maxDelayMs: 2 };
const IMAGE = { width: 640, height: 480 };

/**
 * Rounds × requests per round, full and quick, at concurrency 1 and 8. Rounds are one request (c=1)
 * or one wave (c=8) so tiers are measured moments apart. Depth costs ~10× DINOv3 per request
 * (518-px input, depth map resized back and PNG-encoded), so it gets fewer to keep the bench near 4 minutes.
 */
const PLANS: Record<string, Record<1 | 8, { full: [number, number]; quick: [number, number] }>> = {
  dinov3: { 1: { full: [100, 1], quick: [10, 1] }, 8: { full: [24, 8], quick: [4, 8] } },
  depth_anything: { 1: { full: [48, 1], quick: [6, 1] }, 8: { full: [12, 8], quick: [3, 8] } },
};

async function measureFamily(ctx: BenchContext, family: FamilyFixture, apiUrl: string, hfRoot: string) {
  const image = await benchImage(IMAGE.width, IMAGE.height);
  const { dir, onnxPath } = await demoModelGraph(family.type, hfRoot);
  const session = await createCpuSession(onnxPath);
  const pipeline = await InProcessPipeline.open(dir, family.type, { model: session }, WORKER_BATCHING);
  const feeds = toOrtFeeds({ pixel_values: await family.preprocess(image.decoded) });
  const url = `${apiUrl}/inference/${family.route}`;
  const body = JSON.stringify({ images: [image.base64], ...family.params });
  const responseBytes = await postForBytes(url, body);
  const tiers = [
    { name: 'raw session.run', call: () => session.run(feeds) },
    { name: 'in-process pipeline', call: () => pipeline.infer(image.jpeg, family.params) },
    { name: 'HTTP end to end', call: () => postForBytes(url, body) },
  ];
  const results: TierMeasurement[][] = [];
  for (const concurrency of [1, 8] as const) {
    const plan = PLANS[family.type][concurrency];
    const [rounds, requestsPerRound] = ctx.quick ? plan.quick : plan.full;
    ctx.log(`${family.type}: 3 tiers at concurrency ${concurrency}, ${rounds} rounds × ${requestsPerRound}`);
    results.push(
      await measureTiers(tiers, {
        concurrency,
        rounds,
        requestsPerRound,
        warmup: concurrency * 2,
        settleMs: ORT_SPIN_SETTLE_MS,
      }),
    );
  }
  await session.release();
  return { family: family.type, responseBytes, inputDims: feeds.pixel_values.dims, results };
}

function familyFigures(type: string, results: TierMeasurement[][]): Figure[] {
  return results.flatMap((measurements) => {
    const [raw, pipeline, http] = measurements;
    const c = raw.concurrency;
    return [
      ...latencyRatioFigures(`${type}.c${c}.http_over_raw`, `${type} demo, c=${c}: HTTP ÷ raw session.run`, http, raw),
      ...latencyRatioFigures(
        `${type}.c${c}.pipeline_over_raw`,
        `${type} demo, c=${c}: in-process pipeline ÷ raw session.run`,
        pipeline,
        raw,
      ).slice(0, 1),
      ...latencyRatioFigures(
        `${type}.c${c}.http_over_pipeline`,
        `${type} demo, c=${c}: HTTP ÷ in-process pipeline`,
        http,
        pipeline,
      ).slice(0, 1),
    ];
  });
}

export const e2eLatencyBenchmark: Benchmark = {
  name: 'e2e-latency',
  title: 'End-to-end latency: HTTP vs in-process pipeline vs raw session.run (demo models)',
  description:
    'POST /inference/dinov3 and /inference/depth-anything through the real API and its worker (child processes), ' +
    'against the worker pipeline in this process (decode → processor.infer → OnnxGraphRunner) and against raw ' +
    'session.run on the tensor the processor builds, on the same demo .onnx file, at concurrency 1 and 8. ' +
    'Also reads the peak RSS of the API and of each worker afterwards.',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const hfRoot = ctx.tempDir('hf');
    const api = await ctx.startApi(hfRoot);
    for (const family of [DINOV3_FIXTURE, DEPTH_FIXTURE])
      await postJson(`${api.url}/models/load`, { model_type: family.type });
    const families = [];
    for (const family of [DINOV3_FIXTURE, DEPTH_FIXTURE])
      families.push(await measureFamily(ctx, family, api.url, hfRoot));
    const memory = apiMemory(api.pid);
    const tables: Table[] = families.flatMap((f) =>
      f.results.map((m) =>
        tierTable(
          `${f.family} demo, ${IMAGE.width}×${IMAGE.height} JPEG, concurrency ${m[0].concurrency}`,
          m,
          'raw session.run',
        ),
      ),
    );
    tables.push(memoryTable('Peak RSS after the e2e runs (VmHWM)', memory));
    const figures = families.flatMap((f) => familyFigures(f.family, f.results));
    for (const f of families) {
      const [raw, , http] = f.results[1];
      figures.push(
        throughputRatioFigure(
          `${f.family}.c8.raw_throughput_over_http`,
          `${f.family} demo, c=8: raw session.run req/s ÷ HTTP req/s`,
          raw,
          http,
        ),
      );
    }
    figures.push(...memoryFigures('e2e', memory));
    return {
      figures,
      tables,
      notes: [
        `One ${IMAGE.width}×${IMAGE.height} JPEG (quality 90) per request. HTTP time runs from sending the JSON body to receiving the last byte of the response (not parsed).`,
        `The in-process tier starts from the JPEG bytes (the worker also base64-decodes them) and uses the worker's default micro-batching (max 8, 2 ms); raw session.run is never batched.`,
        `Input tensors: ${families.map((f) => `${f.family} [${f.inputDims.join(',')}]`).join(', ')}. Response sizes: ${families.map((f) => `${f.family} ${fmt(f.responseBytes / 1024)} KiB`).join(', ')}.`,
        'The demo graphs are nearly free (a pooling + matmul, a channel mean), so these ratios show the serving overhead itself; see shape-true-dinov3 for a real ViT-S compute load.',
      ],
      raw: {
        image: IMAGE,
        batching: WORKER_BATCHING,
        families: families.map((f) => ({ ...f, results: f.results.map(rawMeasurements) })),
        memory,
      },
    };
  },
};
