import { Inject, Injectable } from '@nestjs/common';
import type { InferenceConfig } from '@focal/config';
import { InvalidInputError, WorkerInferRequest } from '@focal/contracts';
import { decodeImage } from '@focal/vision';
import { INFERENCE_CONFIG, ModelHostService } from '../model/model-host.service.js';
import { WorkerMetrics } from '../model/worker.metrics.js';
import { RecordingGraphRunner } from '../debug/recording.graph-runner.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function bytesOf(image: unknown, index: number): Buffer {
  if (typeof image !== 'string' || image.length === 0) {
    throw new InvalidInputError(`images[${index}] must be a non-empty base64 string`);
  }
  const payload = image.startsWith('data:') ? image.slice(image.indexOf(',') + 1) : image;
  const compact = payload.replace(/\s+/g, '');
  if (compact.length % 4 === 1 || !BASE64.test(compact))
    throw new InvalidInputError(`images[${index}] is not valid base64`);
  return Buffer.from(compact, 'base64');
}

/** Decodes the images, validates the params with the family's processor, and runs it. */
@Injectable()
export class WorkerInferService {
  constructor(
    @Inject(INFERENCE_CONFIG) private readonly config: InferenceConfig,
    private readonly host: ModelHostService,
    private readonly metrics: WorkerMetrics,
  ) {}

  async infer(request: WorkerInferRequest): Promise<Record<string, unknown>> {
    const { processor, runner } = this.host.model;
    if (!Array.isArray(request.images) || request.images.length === 0) {
      throw new InvalidInputError('images must be a non-empty list');
    }
    const params = processor.parseParams(request.params ?? {});
    const started = process.hrtime.bigint();
    const images = await Promise.all(
      request.images.map((image, i) => decodeImage(bytesOf(image, i), this.config.maxImagePixels)),
    );
    const recorder = this.config.debugTensors ? new RecordingGraphRunner(runner) : undefined;
    const result = (await processor.infer(images, params, recorder ?? runner)) as Record<string, unknown>;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.metrics.observeInfer(this.config.modelType, seconds);
    const debug = recorder ? { debug: { graph_calls: recorder.calls } } : {};
    return { ...result, inference_time: seconds, ...debug };
  }
}
