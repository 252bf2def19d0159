import type { Benchmark, PlannedBenchmark } from './core/benchmark.js';
import { admissionOverloadBenchmark } from './benchmarks/admission-overload.bench.js';
import { antialiasResizeBenchmark } from './benchmarks/antialias-resize.bench.js';
import { autoscalingBenchmark } from './benchmarks/autoscaling.bench.js';
import { coldStartAdmissionBenchmark } from './benchmarks/cold-start-admission.bench.js';
import { e2eLatencyBenchmark } from './benchmarks/e2e-latency.bench.js';
import { idleCostBenchmark } from './benchmarks/idle-cost.bench.js';
import { jobOverheadBenchmark } from './benchmarks/job-overhead.bench.js';
import { jsonWriterBenchmark } from './benchmarks/json-writer.bench.js';
import { localClusterBenchmark } from './benchmarks/local-cluster.bench.js';
import { microBatchingBenchmark } from './benchmarks/micro-batching.bench.js';
import { png16EncoderBenchmark } from './benchmarks/png16-encoder.bench.js';
import { preprocessingParityBenchmark } from './benchmarks/preprocessing-parity.bench.js';
import { sam3EmbeddingCacheBenchmark } from './benchmarks/sam3-embedding-cache.bench.js';
import { soakBenchmark } from './benchmarks/soak.bench.js';
import { workerFailoverBenchmark } from './benchmarks/worker-failover.bench.js';
import { sessionOptionsBenchmark } from './benchmarks/session-options.bench.js';
import { shapeTrueDinov3Benchmark } from './benchmarks/shape-true-dinov3.bench.js';
import { shapeTrueDepthBenchmark } from './benchmarks/shape-true-depth.bench.js';

/**
 * Every benchmark `npm run bench` runs, in order. To add one: write `benchmarks/<name>.bench.ts`
 * exporting a `Benchmark` (see core/benchmark.ts), add it here, and drop its PLANNED entry.
 * `--only <name>` selects by this name.
 */
export const BENCHMARKS: Benchmark[] = [
  e2eLatencyBenchmark,
  jobOverheadBenchmark,
  idleCostBenchmark,
  shapeTrueDinov3Benchmark,
  shapeTrueDepthBenchmark,
  sessionOptionsBenchmark,
  png16EncoderBenchmark,
  jsonWriterBenchmark,
  microBatchingBenchmark,
  preprocessingParityBenchmark,
  antialiasResizeBenchmark,
  sam3EmbeddingCacheBenchmark,
  coldStartAdmissionBenchmark,
  localClusterBenchmark,
  autoscalingBenchmark,
  admissionOverloadBenchmark,
  workerFailoverBenchmark,
  soakBenchmark,
];

/** Slots for measurements that are specified but not written yet; listed by --list and in BENCHMARKS.md. */
export const PLANNED: PlannedBenchmark[] = [];
