import { Inject, Injectable, Logger } from '@nestjs/common';
import { join } from 'node:path';
import type ort from 'onnxruntime-node';
import type { InferenceConfig } from '@focal/config';
import { InvalidInputError, ModelUnavailableError, WorkerInfo } from '@focal/contracts';
import {
  DEFAULT_MANIFESTS,
  InFlightCounter,
  ModelManifest,
  ModelProcessor,
  RgbImage,
  createProcessor,
  loadManifest,
} from '@focal/vision';
import { OnnxGraphRunner, sessionContractProblems } from '@focal/onnx-runtime';
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
    private readonly inFlight: InFlightCounter,
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
      const batching = {
        maxBatchSize: this.config.maxBatchSize,
        maxDelayMs: this.config.maxBatchDelayMs,
        maxBatchElements: this.config.maxBatchElements,
        inFlight: this.inFlight.inFlight,
      };
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
    const missing = Object.keys(processor.expectations).filter((name) => !manifest.graphs[name]);
    if (missing.length > 0) {
      const problems = missing.map((name) => `manifest has no graph "${name}"`);
      throw new InvalidInputError(`model does not match its manifest: ${problems.join('; ')}`);
    }
    let plan: SessionPlan = planProviders(this.config.device, availableBackends());
    const sessions: Record<string, ort.InferenceSession> = {};
    for (const name of Object.keys(processor.expectations)) {
      const created = await this.sessions.create(join(dir, manifest.graphs[name].file), plan, this.config);
      plan = created.plan;
      sessions[name] = created.session;
    }
    const problems = sessionContractProblems(manifest.graphs, processor.expectations, sessions);
    if (problems.length > 0) throw new InvalidInputError(`model does not match its manifest: ${problems.join('; ')}`);
    const graphs: WorkerInfo['graphs'] = Object.fromEntries(
      Object.entries(sessions).map(([name, session]) => [
        name,
        { inputs: [...session.inputNames], outputs: [...session.outputNames] },
      ]),
    );
    return { sessions, plan, graphs };
  }
}
