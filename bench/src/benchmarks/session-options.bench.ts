import ort from 'onnxruntime-node';
import { focalSessionOptions } from '@focal/onnx-runtime';
import type { Benchmark, BenchOutcome } from '../core/benchmark.js';
import type { BenchContext } from '../core/bench-context.js';
import { sweepOneAndEight } from '../core/concurrency.sweep.js';
import type { Tier } from '../core/interleaved.tiers.js';
import { latencyRatioFigures, rawMeasurements, tierTable } from '../core/tier-report.js';
import { benchImage } from '../fixtures/bench-image.js';
import { DINOV3_FIXTURE } from '../fixtures/family-fixtures.js';
import { sharedShapeTrueDinov3 } from '../models/shape-true.shared.js';
import { toOrtFeeds } from '../onnx/ort-session.js';

/** The worker's options (focalSessionOptions, FOCAL_INTRA_OP_THREADS=0) and the variants tried against them. */
const VARIANTS: Array<{ name: string; options: ort.InferenceSession.SessionOptions }> = [
  { name: 'worker default (all optimisations, ort threads, no spin after a run)', options: {} },
  {
    name: 'spinning after a run (onnxruntime default)',
    options: { extra: { session: { force_spinning_stop: '0' } } },
  },
  { name: 'intraOpNumThreads 1', options: { intraOpNumThreads: 1 } },
  { name: 'intraOpNumThreads 2', options: { intraOpNumThreads: 2 } },
  { name: 'CPU memory arena off', options: { enableCpuMemArena: false, enableMemPattern: false } },
  { name: 'parallel execution, 2 inter-op threads', options: { executionMode: 'parallel', interOpNumThreads: 2 } },
];

const PREALLOCATED = 'worker default, preallocated outputs (+ copy out)';

/**
 * session.run into output tensors allocated once, from the shapes of a first run (the ViT's outputs are all
 * float32). A buffer set serves one call at a time, so each concurrent caller gets its own set.
 */
async function preallocatedRun(
  session: ort.InferenceSession,
  feeds: ort.InferenceSession.FeedsType,
): Promise<() => Promise<unknown>> {
  const shapes = await session.run(feeds);
  const free: ort.InferenceSession.FetchesType[] = [];
  const allocate = () =>
    Object.fromEntries(
      Object.entries(shapes).map(([name, t]) => [name, new ort.Tensor('float32', new Float32Array(t.size), t.dims)]),
    );
  return async () => {
    const fetches = free.pop() ?? allocate();
    try {
      const outputs = await session.run(feeds, fetches);
      return Object.values(outputs).map((t) => (t.data as Float32Array).slice());
    } finally {
      free.push(fetches);
    }
  };
}

export const sessionOptionsBenchmark: Benchmark = {
  name: 'session-options',
  title: 'onnxruntime session options on the shape-true ViT-S/16 (raw session.run)',
  description:
    'Raw session.run of the shape-true ViT-S/16 under the worker’s session options and under each variant ' +
    '(intra-op threads, memory arena, parallel execution), interleaved, at concurrency 1 and 8: a variant is worth ' +
    'adopting in the worker only if it beats the default here.',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const model = await sharedShapeTrueDinov3(ctx);
    const image = await benchImage(640, 480);
    const feeds = toOrtFeeds({ pixel_values: await DINOV3_FIXTURE.preprocess(image.decoded) });
    const sessions: ort.InferenceSession[] = [];
    for (const variant of VARIANTS) {
      const options = { ...focalSessionOptions(['cpu'], 0), ...variant.options };
      sessions.push(await ort.InferenceSession.create(model.onnxPath, options));
    }
    const tiers: Tier[] = VARIANTS.map((variant, i) => ({ name: variant.name, call: () => sessions[i].run(feeds) }));
    tiers.push({ name: PREALLOCATED, call: await preallocatedRun(sessions[0], feeds) });
    const results = await sweepOneAndEight(ctx, tiers, { c1: [30, 4], c8: [5, 2] }, 'session variants');
    for (const session of sessions) await session.release();
    const figures = results.flatMap((measurements) =>
      measurements
        .slice(1)
        .flatMap((variant, i) =>
          latencyRatioFigures(
            `session.c${variant.concurrency}.variant${i + 1}_over_default`,
            `ViT-S/16 raw, c=${variant.concurrency}: ${variant.tier} ÷ worker default`,
            variant,
            measurements[0],
          ).slice(0, 1),
        ),
    );
    return {
      figures,
      tables: results.map((m) => tierTable(`Session variants, concurrency ${m[0].concurrency}`, m, VARIANTS[0].name)),
      notes: [
        'Below 1 means the variant is faster than the worker default. Every variant keeps the worker’s other options (graphOptimizationLevel "all", no spinning after a run).',
        `“${PREALLOCATED}”: onnxruntime-node 1.30's run(feeds, fetches) writes into output tensors allocated once ` +
          '(the nearest it has to IO binding on the CPU), and each output is then copied out, as the worker would have ' +
          'to: it hands outputs on to post-processing and to the response while the next run reuses the buffers.',
      ],
      raw: { variants: [...VARIANTS, { name: PREALLOCATED }], results: results.map(rawMeasurements) },
    };
  },
};
