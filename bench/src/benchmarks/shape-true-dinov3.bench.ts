import { performance } from 'node:perf_hooks';
import type { Benchmark, BenchOutcome } from '../core/benchmark.js';
import type { BenchContext } from '../core/bench-context.js';
import { sweepOneAndEight } from '../core/concurrency.sweep.js';
import { fmt, maxAbsDiff } from '../core/stats.js';
import { latencyRatioFigures, rawMeasurements, throughputRatioFigure, tierTable } from '../core/tier-report.js';
import { postForBytes, postForBytesWithFetch, postFormForBytes, postJson } from '../api/http.client.js';
import { ADMISSION_OUT_OF_REACH } from '../api/focal-api.process.js';
import { TierCpuMeter, apiCpuRoles } from '../api/process-cpu.js';
import { apiMemory } from '../api/process-memory.js';
import { benchImage } from '../fixtures/bench-image.js';
import { DINOV3_FIXTURE } from '../fixtures/family-fixtures.js';
import { sharedShapeTrueDinov3 } from '../models/shape-true.shared.js';
import { InProcessPipeline } from '../onnx/in-process.pipeline.js';
import { createCpuSession, toOrtFeeds } from '../onnx/ort-session.js';
import { cpuRatioFigure, cpuTablesOfSweep } from '../report/cpu.tables.js';
import { memoryFigures, memoryTable } from '../report/memory.tables.js';

const WORKER_BATCHING = { maxBatchSize: 8, maxDelayMs: 2 };

interface Dinov3Response {
  features: { last_hidden_state: number[][][]; pooler_output: number[][] };
}

export const shapeTrueDinov3Benchmark: Benchmark = {
  name: 'shape-true-dinov3',
  title: 'Shape-true DINOv3 ViT-S/16 (random weights): raw vs pipeline vs HTTP',
  description:
    'A random-weight graph with the real ViT-S/16 compute (12 blocks, dim 384, 6 heads, MLP 1536, CLS + 4 registers, ' +
    'Conv 16×16 patch embedding, LayerNorm, MatMul/Softmax attention, erf GELU; no RoPE) served by the real worker ' +
    '(POST /models/load with the folder as model_id), against the in-process pipeline and raw session.run, at concurrency 1 and 8.',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const model = await sharedShapeTrueDinov3(ctx);
    const image = await benchImage(640, 480);
    const sessionStarted = performance.now();
    const session = await createCpuSession(model.onnxPath);
    const sessionSeconds = (performance.now() - sessionStarted) / 1000;
    const pipeline = await InProcessPipeline.open(model.dir, 'dinov3', { model: session }, WORKER_BATCHING);
    const feeds = toOrtFeeds({ pixel_values: await DINOV3_FIXTURE.preprocess(image.decoded) });
    const rawOutput = await session.run(feeds);

    const api = await ctx.startApi(ctx.tempDir('hf'));
    const loadStarted = performance.now();
    await postJson(`${api.url}/models/load`, { model_type: 'dinov3', model_id: model.dir });
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const url = `${api.url}/inference/dinov3`;
    // The same serving path without micro-batching: its worker runs one request at a time, first come first
    // served, as onnxruntime-node serves the raw tier's concurrent calls, so at c=8 the two compare the serving
    // overhead alone and the default tier adds what batching does to latency. Admission out of reach, or batch
    // size 1 would also mean one call in flight.
    const serialApi = await ctx.startApi(ctx.tempDir('hf-serial'), {
      ...ADMISSION_OUT_OF_REACH,
      FOCAL_MAX_BATCH_SIZE: '1',
    });
    await postJson(`${serialApi.url}/models/load`, { model_type: 'dinov3', model_id: model.dir });
    const serialUrl = `${serialApi.url}/inference/dinov3`;
    const body = JSON.stringify({ images: [image.base64] });
    const compactBody = JSON.stringify({ images: [image.base64], tensor_format: 'base64' });
    const responseBytes = { json: await postForBytes(url, body), compact: await postForBytes(url, compactBody) };
    const served = await postJson<Dinov3Response>(url, body);
    const lastHidden = served.features.last_hidden_state[0];
    const servedShape = [served.features.last_hidden_state.length, lastHidden.length, lastHidden[0].length];
    // The JSON prints each float32 as the fewest digits that read back as it: compared after the float32 cast.
    const poolerDiff = maxAbsDiff(
      served.features.pooler_output[0].map(Math.fround),
      rawOutput.pooler_output.data as Float32Array,
    );
    const hiddenDiff = maxAbsDiff(lastHidden.flat().map(Math.fround), rawOutput.last_hidden_state.data as Float32Array);

    // Each tier's CPU is counted in the bench process (the client, or the in-process model), the API and its
    // worker; for raw session.run and the pipeline the API and worker are idle, which the table shows.
    const [defaultRoles, serialRoles] = [apiCpuRoles(api.pid), apiCpuRoles(serialApi.pid)];
    const tiers = [
      { name: 'raw session.run', call: () => session.run(feeds), cpu: defaultRoles },
      { name: 'in-process pipeline', call: () => pipeline.infer(image.jpeg), cpu: defaultRoles },
      { name: 'HTTP end to end', call: () => postForBytes(url, body), cpu: defaultRoles },
      { name: 'HTTP, tensor_format base64', call: () => postForBytes(url, compactBody), cpu: defaultRoles },
      {
        name: 'HTTP, multipart + base64',
        call: () => postFormForBytes(url, image.jpeg, { tensor_format: 'base64' }),
        cpu: defaultRoles,
      },
      { name: 'HTTP end to end, fetch client', call: () => postForBytesWithFetch(url, body), cpu: defaultRoles },
      { name: 'HTTP end to end, FOCAL_MAX_BATCH_SIZE=1', call: () => postForBytes(serialUrl, body), cpu: serialRoles },
      {
        // Every other tier's block starts after the 100 ms settle, usually after another tier's block; this one's
        // measured call follows an unmeasured call of its own at once, as a busy client's requests do.
        name: 'HTTP, tensor_format base64, right after another call',
        call: () => postForBytes(url, compactBody),
        beforeBlock: async () => void (await postForBytes(url, compactBody)),
        cpu: defaultRoles,
      },
    ];
    // A meter per tier and concurrency: the sweep builds the c=1 tiers, then the c=8 ones.
    const meters: TierCpuMeter[][] = [];
    const metered = () => {
      const forTiers = tiers.map((t) => new TierCpuMeter(t.name, t.cpu));
      meters.push(forTiers);
      return tiers.map((t, i) => forTiers[i].wrap(t));
    };
    const results = await sweepOneAndEight(ctx, metered, { c1: [40, 6], c8: [6, 2] }, 'tiers');
    const cpu = meters.map((forTiers) => forTiers.map((m) => m.result()));
    const memory = apiMemory(api.pid);
    await session.release();

    const figures = results.flatMap(([raw, inProcess, http, compact, multipart, fetched, serial, warm]) => {
      const c = raw.concurrency;
      return [
        ...latencyRatioFigures(
          `vits16.c${c}.compact_right_after_over_raw`,
          `ViT-S/16, c=${c}: HTTP tensor_format base64 right after another call ÷ raw session.run`,
          warm,
          raw,
        ).slice(0, 1),
        ...latencyRatioFigures(`vits16.c${c}.http_over_raw`, `ViT-S/16, c=${c}: HTTP ÷ raw session.run`, http, raw),
        ...latencyRatioFigures(
          `vits16.c${c}.compact_over_raw`,
          `ViT-S/16, c=${c}: HTTP tensor_format base64 ÷ raw session.run`,
          compact,
          raw,
        ).slice(0, 1),
        ...latencyRatioFigures(
          `vits16.c${c}.multipart_over_raw`,
          `ViT-S/16, c=${c}: HTTP multipart + base64 ÷ raw session.run`,
          multipart,
          raw,
        ).slice(0, 1),
        ...latencyRatioFigures(
          `vits16.c${c}.fetch_client_over_raw`,
          `ViT-S/16, c=${c}: HTTP with a fetch client ÷ raw session.run`,
          fetched,
          raw,
        ).slice(0, 1),
        ...latencyRatioFigures(
          `vits16.c${c}.serial_http_over_raw`,
          `ViT-S/16, c=${c}: HTTP with FOCAL_MAX_BATCH_SIZE=1 ÷ raw session.run`,
          serial,
          raw,
        ).slice(0, 1),
        ...latencyRatioFigures(
          `vits16.c${c}.pipeline_over_raw`,
          `ViT-S/16, c=${c}: in-process pipeline ÷ raw session.run`,
          inProcess,
          raw,
        ).slice(0, 1),
      ];
    });
    // At c=8 the raw tier serves each burst of 8 one call after another (its median waits for about half the burst),
    // while a micro-batch answers all 8 when the batch ends: the latency ratio counts that wait against batching.
    // Throughput compares the two on the work done, so both are reported.
    const [raw8, inProcess8, http8, compact8, , , serial8] = results[1];
    figures.push(
      throughputRatioFigure(
        'vits16.c8.raw_throughput_over_http',
        'ViT-S/16, c=8: raw session.run req/s ÷ HTTP req/s',
        raw8,
        http8,
      ),
      throughputRatioFigure(
        'vits16.c8.raw_throughput_over_compact',
        'ViT-S/16, c=8: raw session.run req/s ÷ HTTP tensor_format base64 req/s',
        raw8,
        compact8,
      ),
      throughputRatioFigure(
        'vits16.c8.raw_throughput_over_serial_http',
        'ViT-S/16, c=8: raw session.run req/s ÷ HTTP with FOCAL_MAX_BATCH_SIZE=1 req/s',
        raw8,
        serial8,
      ),
      throughputRatioFigure(
        'vits16.c8.raw_throughput_over_pipeline',
        'ViT-S/16, c=8: raw session.run req/s ÷ in-process pipeline req/s',
        raw8,
        inProcess8,
      ),
    );
    const cpu8 = cpu[1];
    figures.push(
      cpuRatioFigure(
        'vits16.c8.cpu_http_over_raw',
        'ViT-S/16, c=8: CPU per request, all processes, HTTP ÷ raw session.run',
        cpu8[2],
        cpu8[0],
      ),
      cpuRatioFigure(
        'vits16.c8.cpu_compact_over_raw',
        'ViT-S/16, c=8: CPU per request, all processes, HTTP tensor_format base64 ÷ raw session.run',
        cpu8[3],
        cpu8[0],
      ),
      cpuRatioFigure(
        'vits16.c8.cpu_pipeline_over_raw',
        'ViT-S/16, c=8: CPU per request, in-process pipeline ÷ raw session.run',
        cpu8[1],
        cpu8[0],
      ),
    );
    figures.push(
      {
        id: 'vits16.raw.c1.median_ms',
        label: 'ViT-S/16 raw session.run, batch 1, median',
        value: results[0][0].latencyMs.median,
        unit: 'ms',
      },
      ...memoryFigures('vits16', memory),
    );
    return {
      figures,
      tables: [
        ...results.map((m) =>
          tierTable(`ViT-S/16 shape-true, 640×480 JPEG → 224², concurrency ${m[0].concurrency}`, m, 'raw session.run'),
        ),
        ...cpuTablesOfSweep(cpu, 'raw session.run'),
        memoryTable('Peak RSS while serving the shape-true model (VmHWM)', memory),
      ],
      notes: [
        `Graph: ${(model.parameters / 1e6).toFixed(2)} M float parameters, ${fmt(model.fileMB)} MB .onnx, opset 17, built in ${fmt(model.buildSeconds)} s; bench session created in ${fmt(sessionSeconds)} s; POST /models/load took ${fmt(loadSeconds)} s (worker start, session, warm-up).`,
        `Served output (read back as float32) checked against raw session.run on the same tensor: last_hidden_state shape [${servedShape.join(',')}], max |Δ| ${fmt(hiddenDiff)} (last_hidden_state), ${fmt(poolerDiff)} (pooler_output).`,
        `Response bodies: ${fmt(responseBytes.json / 1024)} KiB as nested JSON (the default), ${fmt(responseBytes.compact / 1024)} KiB with tensor_format base64. Peak RSS is read right after the c=8 runs.`,
        'RoPE is omitted (elementwise work on Q/K only); LayerScale is kept. Weights are seeded uniform (std 0.02), so outputs are meaningless but the compute and memory footprint match ViT-S/16.',
        'The HTTP tiers use a keep-alive node:http client; the fetch tier is the same JSON call through fetch (undici), which spends about twice the client CPU receiving the body.',
        'CPU per request: user + system time of all threads over the measured blocks (warm-up left out), from process.cpuUsage for the bench process and /proc/<pid>/stat (10 ms ticks) for the API and worker, divided by the requests. With the model filling both cores, throughput follows the total.',
        'Blocks start after a 100 ms settle, usually after another tier\'s block; the "right after another call" tier sends an unmeasured call of its own first, so its measured one follows at once, as a busy client\'s requests do.',
        'The FOCAL_MAX_BATCH_SIZE=1 tier is a second API and worker serving the same folder without micro-batching (admission limits out of reach): one run at a time, first come first served.',
        'At concurrency 8 the pipeline and the other HTTP tiers micro-batch (max 8, 2 ms); raw runs 8 batch-1 session.run calls at once, which onnxruntime-node serves one after another, so its median latency is about half a burst while a batch answers all its requests when it ends. The req/s ratios compare the work done.',
      ],
      raw: {
        model: { ...model, dir: undefined, onnxPath: undefined },
        sessionSeconds,
        loadSeconds,
        check: { servedShape, poolerDiff, hiddenDiff },
        responseBytes,
        results: results.map(rawMeasurements),
        cpu,
        memory,
      },
    };
  },
};
