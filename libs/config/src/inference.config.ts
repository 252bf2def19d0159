import { DEVICES, Device, MODEL_TYPES, ModelType, parseModelType } from '@focal/contracts';
import { Env, EnvReader } from './env.reader.js';
import { readProcessEnv } from './process-env.js';
import { HubConfig, LoggingConfig, readHubConfig, readLoggingConfig } from './shared.config.js';

export interface InferenceConfig {
  modelType: ModelType;
  /** "demo", an HF repo id, a URI or a local folder. */
  modelId: string;
  device: Device;
  host: string;
  /** 0 picks a free port, announced to a parent process over IPC. */
  port: number;
  hub: HubConfig;
  logging: LoggingConfig;
  maxBatchSize: number;
  maxBatchDelayMs: number;
  /** Input elements one batched run may stack (MicroBatchOptions.maxBatchElements); 0: no budget. */
  maxBatchElements: number;
  intraOpThreads: number;
  maxImagePixels: number;
  embeddingCacheSize: number;
  /** A worker started by a parent exits when the parent's IPC channel closes. */
  exitWithParent: boolean;
  /** Fetch the model into the cache and exit (the Kubernetes init container), without serving. */
  prefetchOnly: boolean;
  /**
   * Test-only: every /v1/infer answer also carries the tensors fed to and returned by each graph call
   * (`debug.graph_calls`), so reference tests can compare preprocessing with Hugging Face's. Off in production.
   */
  debugTensors: boolean;
}

/**
 * The CPU default of FOCAL_MAX_BATCH_ELEMENTS: eight 3×224×224 inputs (1,204,224 elements) fit, one
 * 3×518×686 depth input (1,066,072) does not fit twice. On a CPU, batching paid only for small inputs
 * (BENCHMARKS.md, micro-batching); on CUDA there is no budget.
 */
export const CPU_BATCH_ELEMENTS = 1_310_720;

export function buildInferenceConfig(source: Env): InferenceConfig {
  const env = new EnvReader(source);
  const rawType = env.string('FOCAL_MODEL_TYPE', '');
  const modelType = parseModelType(rawType);
  if (!modelType) env.problem(`FOCAL_MODEL_TYPE must be one of ${MODEL_TYPES.join(', ')}, got "${rawType}"`);
  const device = env.oneOf('FOCAL_DEVICE', DEVICES, 'cpu');
  const config: InferenceConfig = {
    modelType: modelType ?? 'dinov3',
    modelId: env.string('FOCAL_MODEL_ID', 'demo'),
    device,
    host: env.string('FOCAL_HOST', '0.0.0.0'),
    port: env.int('FOCAL_INFERENCE_PORT', 8080, { min: 0, max: 65535 }),
    hub: readHubConfig(env),
    logging: readLoggingConfig(env),
    maxBatchSize: env.int('FOCAL_MAX_BATCH_SIZE', 8, { min: 1, max: 64 }),
    maxBatchDelayMs: env.int('FOCAL_MAX_BATCH_DELAY_MS', 2, { min: 0, max: 1000 }),
    maxBatchElements: env.int('FOCAL_MAX_BATCH_ELEMENTS', device === 'cpu' ? CPU_BATCH_ELEMENTS : 0, { min: 0 }),
    intraOpThreads: env.int('FOCAL_INTRA_OP_THREADS', 0, { min: 0, max: 256 }),
    maxImagePixels: env.int('FOCAL_MAX_IMAGE_PIXELS', 40_000_000, { min: 1 }),
    embeddingCacheSize: env.int('FOCAL_EMBEDDING_CACHE_SIZE', 32, { min: 0, max: 10_000 }),
    exitWithParent: env.bool('FOCAL_EXIT_WITH_PARENT', true),
    prefetchOnly: env.bool('FOCAL_PREFETCH_ONLY', false),
    debugTensors: env.bool('FOCAL_DEBUG_TENSORS', false),
  };
  env.assertValid();
  return config;
}

export function loadInferenceConfig(): InferenceConfig {
  return buildInferenceConfig(readProcessEnv());
}
