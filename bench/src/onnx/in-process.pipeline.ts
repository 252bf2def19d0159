import type ort from 'onnxruntime-node';
import type { ModelType } from '@focal/contracts';
import {
  DEFAULT_MANIFESTS,
  GraphSignature,
  MicroBatchOptions,
  ModelProcessor,
  checkGraphContract,
  createProcessor,
  decodeImage,
  loadManifest,
} from '@focal/vision';
import { OnnxGraphRunner, RunObserver } from '../../../apps/inference/src/onnx/onnx-graph.runner.js';

function signatureOf(session: ort.InferenceSession): GraphSignature {
  const ranks = (list: readonly ort.InferenceSession.ValueMetadata[]) =>
    Object.fromEntries(list.map((m) => [m.name, m.isTensor ? m.shape.length : undefined]));
  return { inputs: ranks(session.inputMetadata), outputs: ranks(session.outputMetadata) };
}

/**
 * The worker's pipeline without HTTP: decode (sharp) → processor.infer → OnnxGraphRunner
 * (with the worker's micro-batcher) → session.run, set up the way ModelHostService does it.
 */
export class InProcessPipeline {
  private constructor(
    private readonly processor: ModelProcessor<unknown, unknown>,
    readonly runner: OnnxGraphRunner,
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
    for (const [name, expectation] of Object.entries(processor.expectations)) {
      const session = sessions[name];
      if (!session) throw new Error(`no session for graph "${name}"`);
      const contract = checkGraphContract(name, manifest.graphs[name], expectation, signatureOf(session));
      if (contract.problems.length > 0) throw new Error(contract.problems.join('; '));
      manifest.graphs[name] = contract.graph;
    }
    const runner = new OnnxGraphRunner(sessions, batching, observer);
    return new InProcessPipeline(processor, runner, 40_000_000);
  }

  /** One request's work inside the worker: decode the uploaded bytes, then the family's processor. */
  async infer(imageBytes: Uint8Array, rawParams: Record<string, unknown> = {}): Promise<unknown> {
    const params = this.processor.parseParams(rawParams);
    const image = await decodeImage(imageBytes, this.maxImagePixels);
    return this.processor.infer([image], params, this.runner);
  }
}
