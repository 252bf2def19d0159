import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ApiConfig } from '@focal/config';
import { ImageInput, InvalidInputError, ModelType } from '@focal/contracts';
import { API_CONFIG } from '../config/api-config.token.js';
import { ImageResolverService } from '../images/image-resolver.service.js';
import { ModelManagerService } from '../models/model-manager.service.js';
import { INFERENCE_CLIENT, type InferenceClient } from '../runtime/inference.client.js';
import { AdmissionControl, type AdmissionSource } from './admission.control.js';
import { WorkerFailover } from './worker.failover.js';

/** Any family's request body once validated: images plus family-specific params. */
export type InferenceBody = { images: ImageInput[] } & Record<string, unknown>;

const PROMPTED: readonly ModelType[] = ['sam3', 'grounding_dino'];

/**
 * SAM3 workers cache image embeddings by content: requests for the same images should reach the
 * replica that computed them. Other families have no per-image state worth following. The hash is
 * taken only if the runtime routes among replicas.
 */
function affinityKey(type: ModelType, images: Buffer[]): (() => string) | undefined {
  if (type !== 'sam3') return undefined;
  return () => contentHash(images);
}

function contentHash(images: Buffer[]): string {
  const hash = createHash('sha256');
  for (const image of images) hash.update(image).update('\0');
  return hash.digest('base64url');
}

/**
 * One inference call, synchronous or from a job: check limits, resolve images, make sure the model
 * is ready (auto-loading it), wait for a slot on its workers (admission control), call its inference
 * service (with failover if the worker dies) and time the whole request.
 */
@Injectable()
export class InferenceService {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly images: ImageResolverService,
    private readonly models: ModelManagerService,
    @Inject(INFERENCE_CLIENT) private readonly client: InferenceClient,
    private readonly admission: AdmissionControl,
    private readonly failover: WorkerFailover,
  ) {}

  /** The checks that need no network: run at job submission so a bad job is refused with a 400 at once. */
  async precheck(type: ModelType, body: InferenceBody): Promise<void> {
    if (PROMPTED.includes(type)) this.checkPrompts(body.prompts);
    await this.images.resolve(body.images.filter((image) => typeof image === 'string' || image.format !== 'url'));
  }

  /** `source: 'job'` waits for a slot however long it takes; a request may get a 503 + Retry-After. */
  async run(
    type: ModelType,
    body: InferenceBody,
    source: AdmissionSource = 'request',
  ): Promise<Record<string, unknown>> {
    const started = process.hrtime.bigint();
    if (PROMPTED.includes(type)) this.checkPrompts(body.prompts);
    if (source === 'request') this.admission.checkRoom(type);
    const { images, ...params } = body;
    const resolved = await this.images.resolve(images);
    const model = await this.models.ensureReady(type);
    const options = { affinityKey: affinityKey(type, resolved), deadline: Date.now() + this.config.loadTimeoutMs };
    const admission = await this.admission.admit(type, model.readyReplicas, source);
    let result: Record<string, unknown>;
    try {
      result = await this.failover.dispatch(model, options, (endpoint) =>
        this.client.infer(endpoint, { images: resolved, params }, this.config.inferenceTimeoutMs),
      );
    } finally {
      admission.release();
    }
    delete result.inference_time;
    const processingTime = Number(process.hrtime.bigint() - started) / 1e9;
    return { ...result, processing_time: Math.round(processingTime * 1e6) / 1e6, model_id: model.modelId };
  }

  private checkPrompts(prompts: unknown): void {
    const { maxPrompts, maxPromptLength } = this.config.limits;
    const list = prompts as string[];
    if (list.length > maxPrompts)
      throw new InvalidInputError(`too many prompts: ${list.length} (at most ${maxPrompts})`);
    const index = list.findIndex((p) => p.trim().length === 0 || p.length > maxPromptLength);
    if (index >= 0) {
      throw new InvalidInputError(`prompts[${index}] must be non-empty and at most ${maxPromptLength} characters`);
    }
  }
}
