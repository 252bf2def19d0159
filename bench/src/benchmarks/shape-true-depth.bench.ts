import { performance } from 'node:perf_hooks';
import type { Benchmark, BenchOutcome } from '../core/benchmark.js';
import type { BenchContext } from '../core/bench-context.js';
import { TierMeasurement, ORT_SPIN_SETTLE_MS, measureTiers } from '../core/interleaved.tiers.js';
import { fmt } from '../core/stats.js';
import { latencyRatioFigures, rawMeasurements, throughputRatioFigure, tierTable } from '../core/tier-report.js';
import { postForBytes, postJson } from '../api/http.client.js';
import { type TierCpu, TierCpuMeter, apiCpuRoles } from '../api/process-cpu.js';
import { apiMemory } from '../api/process-memory.js';
import { benchImage } from '../fixtures/bench-image.js';
import { DEPTH_FIXTURE } from '../fixtures/family-fixtures.js';
import { sharedShapeTrueDepth } from '../models/shape-true.shared.js';
import { createCpuSession, toOrtFeeds } from '../onnx/ort-session.js';
import { openTransformersDepth } from '../peers/transformers-depth.pipeline.js';
import { cpuRatioFigure, cpuTablesOfSweep } from '../report/cpu.tables.js';
import { memoryFigures, memoryTable } from '../report/memory.tables.js';

interface DepthResponse {
  depth_data?: string;
}

function valueRange(values: Float32Array): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return [min, max];
}

/** Rounds per concurrency. One DA2-Small session.run is ~1–2 s on 2 cores, so c=8 waves are few. */
const ROUNDS = { 1: { full: 8, quick: 2 }, 8: { full: 2, quick: 1 } } as const;

export const shapeTrueDepthBenchmark: Benchmark = {
  name: 'shape-true-depth',
  title: 'Shape-true Depth Anything V2 Small (random weights): raw vs Focal HTTP vs transformers.js pipeline',
  description:
    'A random-weight ViT-S/14 + DPT graph with DA2-Small compute (24 M parameters; 12 blocks, dim 384, layers 2/5/8/11 reassembled ' +
    'to 48/96/192/384 channels, fusion 64, head to 1 channel, bilinear to the input size) served by the real worker with the default ' +
    'png export, against raw session.run and the transformers.js depth-estimation pipeline on the same folder, at concurrency 1 and 8.',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const model = await sharedShapeTrueDepth(ctx);
    const image = await benchImage(640, 480);
    const session = await createCpuSession(model.onnxPath);
    const inputTensor = await DEPTH_FIXTURE.preprocess(image.decoded);
    const feeds = toOrtFeeds({ pixel_values: inputTensor });
    const rawOutput = await session.run(feeds);
    const peerStarted = performance.now();
    const peer = await openTransformersDepth(model.dir);
    const peerSeconds = (performance.now() - peerStarted) / 1000;
    const peerOutput = await peer.estimate(image.jpeg);

    const api = await ctx.startApi(ctx.tempDir('hf'));
    const loadStarted = performance.now();
    await postJson(`${api.url}/models/load`, { model_type: 'depth_anything', model_id: model.dir });
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const url = `${api.url}/inference/${DEPTH_FIXTURE.route}`;
    // No export_format: the default (png) is what a new user gets.
    const body = JSON.stringify({ images: [image.base64] });
    const served = await postJson<DepthResponse>(url, JSON.parse(body));
    const responseBytes = await postForBytes(url, body);
    // transformers.js resizes predicted_depth back to 640×480, so the check compares value ranges, not pixels.
    const ranges = {
      raw: valueRange(rawOutput.predicted_depth.data as Float32Array),
      peer: valueRange(peerOutput.predicted_depth.data),
    };

    const tiers = [
      { name: 'raw session.run', call: () => session.run(feeds) },
      { name: 'transformers.js pipeline', call: () => peer.estimate(image.jpeg) },
      { name: 'Focal HTTP (png)', call: () => postForBytes(url, body) },
    ];
    // CPU of the bench process (raw session.run, the transformers.js pipeline, or the HTTP client), the API and
    // its worker, per request of each tier.
    const roles = apiCpuRoles(api.pid);
    const results: TierMeasurement[][] = [];
    const memory: ReturnType<typeof apiMemory>[] = [];
    const cpu: TierCpu[][] = [];
    for (const concurrency of [1, 8] as const) {
      const rounds = ctx.reps(ROUNDS[concurrency].full, ROUNDS[concurrency].quick);
      ctx.log(`${tiers.length} tiers at concurrency ${concurrency}, ${rounds} rounds × ${concurrency}`);
      const meters = tiers.map((t) => new TierCpuMeter(t.name, roles));
      results.push(
        await measureTiers(
          tiers.map((t, i) => meters[i].wrap(t)),
          {
            concurrency,
            rounds,
            requestsPerRound: concurrency,
            warmup: 1,
            settleMs: ORT_SPIN_SETTLE_MS,
          },
        ),
      );
      cpu.push(meters.map((m) => m.result()));
      memory.push(apiMemory(api.pid));
    }
    await session.release();
    await peer.dispose();

    const figures = results.flatMap(([raw, peerTier, http]) => {
      const c = raw.concurrency;
      return [
        ...latencyRatioFigures(
          `da2s.c${c}.http_over_raw`,
          `DA2-Small, c=${c}: Focal HTTP ÷ raw session.run`,
          http,
          raw,
        ),
        ...latencyRatioFigures(
          `da2s.c${c}.tjs_over_http`,
          `DA2-Small, c=${c}: transformers.js pipeline ÷ Focal HTTP`,
          peerTier,
          http,
        ),
        throughputRatioFigure(
          `da2s.c${c}.http_over_tjs_throughput`,
          `DA2-Small, c=${c}: Focal HTTP req/s ÷ transformers.js req/s`,
          http,
          peerTier,
        ),
      ];
    });
    const [raw8, , http8] = results[1];
    figures.push(
      ...cpu.flatMap(([rawCpu, peerCpu, httpCpu], i) => {
        const c = i === 0 ? 1 : 8;
        return [
          cpuRatioFigure(
            `da2s.c${c}.cpu_http_over_raw`,
            `DA2-Small, c=${c}: CPU per request, all processes, Focal HTTP ÷ raw session.run`,
            httpCpu,
            rawCpu,
          ),
          cpuRatioFigure(
            `da2s.c${c}.cpu_tjs_over_http`,
            `DA2-Small, c=${c}: CPU per request, transformers.js pipeline ÷ Focal HTTP (all processes)`,
            peerCpu,
            httpCpu,
          ),
        ];
      }),
      throughputRatioFigure(
        'da2s.c8.raw_throughput_over_http',
        'DA2-Small, c=8: raw session.run req/s ÷ Focal HTTP req/s',
        raw8,
        http8,
      ),
      {
        id: 'da2s.raw.c1.median_ms',
        label: 'DA2-Small raw session.run, batch 1, median',
        value: results[0][0].latencyMs.median,
        unit: 'ms',
      },
      ...memoryFigures('da2s.c8', memory[1]),
    );
    return {
      figures,
      tables: [
        ...results.map((m) =>
          tierTable(
            `DA2-Small shape-true, 640×480 JPEG → 518×686, concurrency ${m[0].concurrency}`,
            m,
            'raw session.run',
          ),
        ),
        ...cpuTablesOfSweep(cpu, 'raw session.run'),
        memoryTable('Peak RSS after the c=1 runs (VmHWM)', memory[0]),
        memoryTable('Peak RSS after the c=8 runs (VmHWM)', memory[1]),
      ],
      notes: [
        `Graph: ${(model.parameters / 1e6).toFixed(2)} M float parameters, ${fmt(model.fileMB)} MB .onnx, opset 17, built in ${fmt(model.buildSeconds)} s; POST /models/load took ${fmt(loadSeconds)} s; transformers.js ${peer.version} pipeline opened in ${fmt(peerSeconds)} s (same onnxruntime-node, its own session options).`,
        `Input ${inputTensor.dims.join('×')} (Focal's preprocessDepth; keep aspect ratio, multiple of 14). Raw predicted_depth [${rawOutput.predicted_depth.dims.join(',')}]; transformers.js predicted_depth [${peerOutput.predicted_depth.dims.join(',')}], values ${fmt(ranges.peer[0])}–${fmt(ranges.peer[1])} against raw ${fmt(ranges.raw[0])}–${fmt(ranges.raw[1])} (resized back to the image), depth image ${peerOutput.depth.width}×${peerOutput.depth.height}.`,
        `Focal response: ${fmt(responseBytes / 1024)} KiB JSON with a base64 16-bit PNG at 640×480 (depth_data ${served.depth_data ? 'present' : 'MISSING'}). transformers.js returns its float tensor and an 8-bit depth image, with no encoding.`,
        'The learned position embedding is omitted (one Add per token); weights are seeded uniform, so depth values are meaningless but compute and memory match DA2-Small.',
        'At concurrency 8 Focal micro-batches (max 8, 2 ms); raw runs 8 batch-1 session.run calls at once and transformers.js 8 concurrent pipeline calls in the bench process.',
      ],
      raw: {
        model: { ...model, dir: undefined, onnxPath: undefined },
        loadSeconds,
        peerSeconds,
        check: { ranges, inputDims: inputTensor.dims },
        responseBytes,
        results: results.map(rawMeasurements),
        cpu,
        memory,
      },
    };
  },
};
