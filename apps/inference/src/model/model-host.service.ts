import { Inject, Injectable, Logger } from '@nestjs/common';
import { join } from 'node:path';
import type ort from 'onnxruntime-node';
import type { InferenceConfig } from '@focal/config';
import { InvalidInputError, ModelUnavailableError, WorkerInfo } from '@focal/contracts';
import {
  DEFAULT_MANIFESTS,
  GraphSignature,
  ModelManifest,
  ModelProcessor,
  RgbImage,
  checkGraphContract,
  createProcessor,
  loadManifest,
} from '@focal/vision';
import { OnnxGraphRunner } from '../onnx/onnx-graph.runner.js';
import {
  OnnxSessionFactory,
  type SessionPlan,
  availableBackends,
  planProviders,
} from '../onnx/onnx-session.factory.js';
import { ModelDirResolver } from './model-dir.resolver.js';
import { WorkerMetrics } from './worker.metrics.js';

export const INFERENCE_CONFIG = Symbol('INFERENCE_CONFIG');

export interface LoadedModel {
  processor: ModelProcessor<unknown, unknown>;
  runner: OnnxGraphRunner;
  info: WorkerInfo;
}

function signatureOf(session: ort.InferenceSession): GraphSignature {
  const ranks = (list: readonly ort.InferenceSession.ValueMetadata[]) =>
    Object.fromEntries(list.map((m) => [m.name, m.isTensor ? m.shape.length : undefined]));
  return { inputs: ranks(session.inputMetadata), outputs: ranks(session.outputMetadata) };
}

/** A small gradient image: enough to push every graph through once before /readyz turns ready. */
function warmupImage(): RgbImage {
  const width = 64;
  const height = 48;
  const data = new Uint8Array(width * height * 3).map((_, i) => (i * 7) % 256);
  return { data, width, height };
}

/**
 * Owns the one model this worker serves: resolve its folder, check each graph's I/O against the
 * manifest, create sessions on the requested device, warm up. Until then /readyz answers 503.
 */
@Injectable()
export class ModelHostService {
  private readonly logger = new Logger('ModelHost');
  private loaded: LoadedModel | undefined;
  private failure: string | undefined;

  constructor(
    @Inject(INFERENCE_CONFIG) private readonly config: InferenceConfig,
    private readonly resolver: ModelDirResolver,
    private readonly sessions: OnnxSessionFactory,
    private readonly metrics: WorkerMetrics,
  ) {}

  get model(): LoadedModel {
    if (this.loaded) return this.loaded;
    throw new ModelUnavailableError(this.failure ? `model failed to load: ${this.failure}` : 'model is still loading');
  }

  get ready(): boolean {
    return this.loaded !== undefined;
  }

  get failed(): string | undefined {
    return this.failure;
  }

  async load(): Promise<LoadedModel> {
    const started = process.hrtime.bigint();
    const { modelType, modelId, device } = this.config;
    try {
      const { dir, demo } = await this.resolver.resolve(modelId, modelType);
      const manifest = await loadManifest(dir, modelType, DEFAULT_MANIFESTS[modelType]);
      const processor = await createProcessor(dir, manifest, { embeddingCacheSize: this.config.embeddingCacheSize });
      const { sessions, plan, graphs } = await this.openGraphs(dir, manifest, processor);
      const batching = { maxBatchSize: this.config.maxBatchSize, maxDelayMs: this.config.maxBatchDelayMs };
      const runner = new OnnxGraphRunner(sessions, batching, this.metrics);
      await processor.infer([warmupImage()], processor.warmupParams(), runner);
      const loadTime = Number(process.hrtime.bigint() - started) / 1e9;
      const info: WorkerInfo = {
        model_type: modelType,
        model_id: modelId,
        model_dir: dir,
        demo: demo || manifest.demo === true,
        device: plan.device,
        requested_device: device,
        providers: plan.providers,
        warnings: plan.warnings,
        load_time: loadTime,
        graphs,
      };
      this.loaded = { processor, runner, info };
      this.metrics.observeLoad(modelType, loadTime);
      this.logger.log({ msg: 'model ready', ...info, graphs: undefined });
      for (const warning of plan.warnings) this.logger.warn({ msg: warning, model_type: modelType });
      return this.loaded;
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }

  private async openGraphs(dir: string, manifest: ModelManifest, processor: ModelProcessor<unknown, unknown>) {
    let plan: SessionPlan = planProviders(this.config.device, availableBackends());
    const sessions: Record<string, ort.InferenceSession> = {};
    const graphs: WorkerInfo['graphs'] = {};
    const problems: string[] = [];
    for (const [name, expectation] of Object.entries(processor.expectations)) {
      const graphManifest = manifest.graphs[name];
      if (!graphManifest) {
        problems.push(`manifest has no graph "${name}"`);
        continue;
      }
      const created = await this.sessions.create(join(dir, graphManifest.file), plan, this.config);
      plan = created.plan;
      const signature = signatureOf(created.session);
      const contract = checkGraphContract(name, graphManifest, expectation, signature);
      problems.push(...contract.problems);
      manifest.graphs[name] = contract.graph;
      sessions[name] = created.session;
      graphs[name] = { inputs: Object.keys(signature.inputs), outputs: Object.keys(signature.outputs) };
    }
    if (problems.length > 0) throw new InvalidInputError(`model does not match its manifest: ${problems.join('; ')}`);
    return { sessions, plan, graphs };
  }
}
