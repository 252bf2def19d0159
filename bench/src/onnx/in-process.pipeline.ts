import type ort from 'onnxruntime-node';
import type { ModelType } from '@focal/contracts';
import {
  DEFAULT_MANIFESTS,
  InFlightCounter,
  MicroBatchOptions,
  ModelProcessor,
  createProcessor,
  decodeImage,
  loadManifest,
} from '@focal/vision';
import { OnnxGraphRunner, RunObserver, sessionContractProblems } from '@focal/onnx-runtime';

/**
 * The worker's pipeline without HTTP: decode (sharp) → processor.infer → OnnxGraphRunner
 * (with the worker's micro-batcher) → session.run, set up the way ModelHostService does it.
 */
export class InProcessPipeline {
  private constructor(
    private readonly processor: ModelProcessor<unknown, unknown>,
    readonly runner: OnnxGraphRunner,
    private readonly inFlight: InFlightCounter,
    private readonly maxImagePixels: number,
  ) {}

  /** `sessions` are opened by the caller, so a raw tier can share them (same weights in memory once). */
  static async open(
    modelDir: string,
    family: ModelType,
    sessions: Record<string, ort.InferenceSession>,
    batching: MicroBatchOptions,
    observer?: RunObserver,
  ): Promise<InProcessPipeline> {
    const manifest = await loadManifest(modelDir, family, DEFAULT_MANIFESTS[family]);
    const processor = await createProcessor(modelDir, manifest, { embeddingCacheSize: 32 });
    const unopened = Object.keys(processor.expectations).filter((name) => !sessions[name]);
    if (unopened.length > 0) throw new Error(`no session for graph "${unopened.join('", "')}"`);
    const problems = sessionContractProblems(manifest.graphs, processor.expectations, sessions);
    if (problems.length > 0) throw new Error(problems.join('; '));
    const inFlight = new InFlightCounter();
    const runner = new OnnxGraphRunner(sessions, { ...batching, inFlight: inFlight.inFlight }, observer);
    return new InProcessPipeline(processor, runner, inFlight, 40_000_000);
  }

  /** One request's work inside the worker: decode the uploaded bytes, then the family's processor. */
  infer(imageBytes: Uint8Array, rawParams: Record<string, unknown> = {}): Promise<unknown> {
    return this.inFlight.around(async () => {
      const params = this.processor.parseParams(rawParams);
      const image = await decodeImage(imageBytes, this.maxImagePixels);
      return this.processor.infer([image], params, this.runner);
    });
  }
}
