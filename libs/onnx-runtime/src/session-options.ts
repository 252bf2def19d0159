import type ort from 'onnxruntime-node';

/**
 * The session options Focal runs every graph with: the inference worker's, and the bench's raw and in-process tiers'.
 *
 * - All graph optimisations.
 * - `intraOpThreads` 0 leaves the count to onnxruntime (one a core).
 * - `session.force_spinning_stop`: onnxruntime's intra-op threads spin between the operators of a run (kept: that is
 *   what makes a run fast), but by default they also go on spinning after the run ends, about 35 ms of a core in the
 *   150 ms after each run here. In a worker that core is what the next requests' decoding, the worker's and the API's
 *   HTTP work and, locally, the client need. Stopping the spin at the end of a run gave 4.6–5.1% more req/s at c=8
 *   with `tensor_format: base64` and 1% with JSON in three A/B runs (0.5% between two identical workers), and no change
 *   at c=1 (BENCHMARKS.md, 2026-12-02 15:40).
 */
export function focalSessionOptions(providers: string[], intraOpThreads: number): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: providers,
    graphOptimizationLevel: 'all',
    ...(intraOpThreads > 0 ? { intraOpNumThreads: intraOpThreads } : {}),
    extra: { session: { force_spinning_stop: '1' } },
  };
}
