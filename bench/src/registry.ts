import type { Benchmark, PlannedBenchmark } from './core/benchmark.js';
import { e2eLatencyBenchmark } from './benchmarks/e2e-latency.bench.js';
import { jobOverheadBenchmark } from './benchmarks/job-overhead.bench.js';
import { microBatchingBenchmark } from './benchmarks/micro-batching.bench.js';
import { preprocessingParityBenchmark } from './benchmarks/preprocessing-parity.bench.js';
import { shapeTrueDinov3Benchmark } from './benchmarks/shape-true-dinov3.bench.js';

/**
 * Every benchmark `npm run bench` runs, in order. To add one: write `benchmarks/<name>.bench.ts`
 * exporting a `Benchmark` (see core/benchmark.ts), add it here, and drop its PLANNED entry.
 * `--only <name>` selects by this name.
 */
export const BENCHMARKS: Benchmark[] = [
  e2eLatencyBenchmark,
  jobOverheadBenchmark,
  shapeTrueDinov3Benchmark,
  microBatchingBenchmark,
  preprocessingParityBenchmark,
];

/** Slots for measurements that are specified but not written yet; listed by --list and in BENCHMARKS.md. */
export const PLANNED: PlannedBenchmark[] = [
  {
    name: 'sam3-embedding-cache',
    title: 'SAM3 image-embedding cache speed-up',
    description:
      'Latency of a second SAM3 request on the same image with new prompts (cache hit: text encoder + decoder only) ' +
      'divided by the first (cache miss: vision encoder too), in process and over HTTP.',
    howTo:
      "benchmarks/sam3-embedding-cache.bench.ts: ensureDemoModel('sam3', root) or a shape-true encoder; open one session per " +
      "graph (vision_encoder, text_encoder, decoder) and InProcessPipeline.open(dir, 'sam3', sessions, batching); time " +
      'infer() with fresh images (miss) vs the same image and new prompts (hit) with measureTiers; over HTTP compare an API ' +
      'with FOCAL_EMBEDDING_CACHE_SIZE=0 against the default. For shape-true weights, write the encoder with GraphOps (models/vit.graph.ts).',
  },
];
