import { Inject, Injectable } from '@nestjs/common';
import type { InferenceConfig } from '@focal/config';
import type { WorkerInferRequest } from '@focal/contracts';
import { InFlightCounter, decodeImage } from '@focal/vision';
import { INFERENCE_CONFIG, ModelHostService } from '../model/model-host.service.js';
import { WorkerMetrics } from '../model/worker.metrics.js';
import { RecordingGraphRunner } from '../debug/recording.graph-runner.js';

/** Decodes the images (raw bytes, see infer-request.reader.ts), validates the params with the processor, runs it. */
@Injectable()
export class WorkerInferService {
  constructor(
    @Inject(INFERENCE_CONFIG) private readonly config: InferenceConfig,
    private readonly host: ModelHostService,
    private readonly metrics: WorkerMetrics,
    private readonly inFlight: InFlightCounter,
  ) {}

  infer(request: WorkerInferRequest): Promise<Record<string, unknown>> {
    return this.inFlight.around(() => this.run(request));
  }

  private async run(request: WorkerInferRequest): Promise<Record<string, unknown>> {
    const { processor, runner } = this.host.model;
    const params = processor.parseParams(request.params ?? {});
    const started = process.hrtime.bigint();
    const images = await Promise.all(request.images.map((image) => decodeImage(image, this.config.maxImagePixels)));
    const recorder = this.config.debugTensors ? new RecordingGraphRunner(runner) : undefined;
    const result = (await processor.infer(images, params, recorder ?? runner)) as Record<string, unknown>;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.metrics.observeInfer(this.config.modelType, seconds);
    const debug = recorder ? { debug: { graph_calls: recorder.calls } } : {};
    return { ...result, inference_time: seconds, ...debug };
  }
}
