import { DEVICES, Device, MODEL_TYPES, ModelType, parseModelType } from '@focal/contracts';
import { Env, EnvReader } from './env.reader.js';
import { readProcessEnv } from './process-env.js';
import { HubConfig, LoggingConfig, readHubConfig, readLoggingConfig } from './shared.config.js';

export const API_KEY_ROLES = ['admin', 'inference'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export interface ApiKey {
  role: ApiKeyRole;
  key: string;
}

export interface RequestLimits {
  maxImages: number;
  maxImageBytes: number;
  maxImagePixels: number;
  maxPrompts: number;
  maxPromptLength: number;
  urlTimeoutMs: number;
  allowPrivateUrls: boolean;
  /** Nesting levels of a JSON body (objects and arrays), checked before validation. */
  maxJsonDepth: number;
  /** Items of any one JSON array (and members of any one object), checked before validation. */
  maxJsonArrayLength: number;
}

export interface JobsConfig {
  redisUrl: string;
  queuePrefix: string;
  concurrency: number;
  retentionSeconds: number;
  attempts: number;
  backoffMs: number;
  lockMs: number;
  /** A queue operation Redis has not answered by then is a 503: Redis frozen or partitioned, not just down. */
  redisTimeoutMs: number;
}

/**
 * Triton-style queue policy per model: at most `maxInflight` calls per ready worker, at most `maxQueue`
 * synchronous requests waiting behind them, each for at most `queueTimeoutMs`; past either, 503 + Retry-After.
 */
export interface AdmissionConfig {
  maxInflight: number;
  maxQueue: number;
  queueTimeoutMs: number;
  /** The longest a repeated refusal on a connection that ignored Retry-After is held; 0 never holds. */
  refusalHoldMaxMs: number;
}

export interface LocalRuntimeConfig {
  /** Compiled inference worker entry point; resolved next to the API's own build by default. */
  workerEntry: string | undefined;
  host: string;
  maxBatchSize: number;
  maxBatchDelayMs: number;
  /** Forwarded to the workers when set; unset, each worker takes its device's default (inference.config.ts). */
  maxBatchElements: number | undefined;
  intraOpThreads: number;
  stopTimeoutMs: number;
}

export interface KubernetesRuntimeConfig {
  namespace: string;
  modelServicePort: number;
  /** Overrides the in-cluster Service URL; `{name}`, `{namespace}` and `{port}` are substituted. */
  serviceUrlTemplate: string;
  /**
   * While a load waits: how often /readyz is probed again, and the fallback poll of the
   * ModelDeployment when its watch is down. Also the retry delay of a broken watch.
   */
  pollMs: number;
  /**
   * `pods`: each request goes straight to a ready model pod's IP, from a watch of the Pods (as KubeAI's
   * load balancer does). `service`: through the model's Service URL. Defaults to `service` when
   * FOCAL_K8S_SERVICE_URL is set, else `pods`.
   */
  routing: 'pods' | 'service';
}

/** Cold starts and scale-to-zero of models (see the README's "Elastic serving"). */
export interface ElasticConfig {
  /** Unload a model after this long with no request; 0 keeps models loaded (local runtime only). */
  idleUnloadSeconds: number;
  /** A model that became ready less than this long ago is never idle-unloaded. */
  evictionProtectionSeconds: number;
  /** FOCAL_PRELOAD models are never idle-unloaded. */
  pinPreloaded: boolean;
  /** Expected load time of a model never loaded by this process, for `Prefer: wait` admission. */
  expectedLoadSeconds: number;
}

export interface ApiConfig {
  runtime: 'local' | 'kubernetes';
  host: string;
  port: number;
  hub: HubConfig;
  logging: LoggingConfig;
  corsOrigins: string[];
  autoLoad: boolean;
  preload: ModelType[];
  defaultDevice: Device;
  defaultModels: Record<ModelType, string>;
  loadTimeoutMs: number;
  inferenceTimeoutMs: number;
  elastic: ElasticConfig;
  apiKeys: ApiKey[];
  limits: RequestLimits;
  jobs: JobsConfig;
  admission: AdmissionConfig;
  local: LocalRuntimeConfig;
  kubernetes: KubernetesRuntimeConfig;
  /** The built playground folder served at /playground; resolved next to the API's own build by default. */
  playgroundDir: string | undefined;
  /** The environment local workers inherit (PATH, proxies, …) before Focal's own variables. */
  processEnv: Record<string, string>;
}

const MiB = 1024 * 1024;

function readApiKeys(env: EnvReader): ApiKey[] {
  return env.list('FOCAL_API_KEYS').flatMap((entry) => {
    const separator = entry.indexOf(':');
    const role = entry.slice(0, separator);
    const key = entry.slice(separator + 1);
    if (separator < 0 || !(API_KEY_ROLES as readonly string[]).includes(role) || key.length < 8) {
      env.problem('FOCAL_API_KEYS entries must look like "admin:<key>" or "inference:<key>" with keys of 8+ chars');
      return [];
    }
    return [{ role: role as ApiKeyRole, key }];
  });
}

function readPreload(env: EnvReader): ModelType[] {
  return env.list('FOCAL_PRELOAD').flatMap((raw) => {
    const type = parseModelType(raw);
    if (type) return [type];
    env.problem(`FOCAL_PRELOAD has unknown model type "${raw}"; use ${MODEL_TYPES.join(', ')}`);
    return [];
  });
}

function readDefaultModels(env: EnvReader): Record<ModelType, string> {
  const entries = MODEL_TYPES.map((type) => [type, env.string(`FOCAL_MODEL_${type.toUpperCase()}`, 'demo')]);
  return Object.fromEntries(entries) as Record<ModelType, string>;
}

function readLimits(env: EnvReader): RequestLimits {
  const limits: RequestLimits = {
    maxImages: env.int('FOCAL_MAX_IMAGES', 16, { min: 1, max: 1024 }),
    maxImageBytes: env.int('FOCAL_MAX_IMAGE_BYTES', 20 * MiB, { min: 1024 }),
    maxImagePixels: env.int('FOCAL_MAX_IMAGE_PIXELS', 40_000_000, { min: 1 }),
    maxPrompts: env.int('FOCAL_MAX_PROMPTS', 32, { min: 1, max: 1024 }),
    maxPromptLength: env.int('FOCAL_MAX_PROMPT_LENGTH', 256, { min: 1, max: 10_000 }),
    urlTimeoutMs: env.int('FOCAL_URL_TIMEOUT_MS', 10_000, { min: 100 }),
    allowPrivateUrls: env.bool('FOCAL_ALLOW_PRIVATE_URLS', false),
    maxJsonDepth: env.int('FOCAL_MAX_JSON_DEPTH', 32, { min: 4, max: 1000 }),
    maxJsonArrayLength: env.int('FOCAL_MAX_JSON_ARRAY_LENGTH', 1024, { min: 16, max: 1_000_000 }),
  };
  // A valid request must fit: the images and prompts lists are JSON arrays too.
  const widest = Math.max(limits.maxImages, limits.maxPrompts);
  if (limits.maxJsonArrayLength < widest) {
    env.problem(
      `FOCAL_MAX_JSON_ARRAY_LENGTH (${limits.maxJsonArrayLength}) must be >= FOCAL_MAX_IMAGES and FOCAL_MAX_PROMPTS (${widest})`,
    );
  }
  return limits;
}

function readElastic(env: EnvReader): ElasticConfig {
  return {
    idleUnloadSeconds: env.int('FOCAL_IDLE_UNLOAD_SECONDS', 0, { min: 0 }),
    evictionProtectionSeconds: env.int('FOCAL_EVICTION_PROTECTION_SECONDS', 60, { min: 0 }),
    pinPreloaded: env.bool('FOCAL_PIN_PRELOADED', true),
    expectedLoadSeconds: env.int('FOCAL_EXPECTED_LOAD_SECONDS', 30, { min: 0 }),
  };
}

function readJobs(env: EnvReader): JobsConfig {
  return {
    redisUrl: env.url('FOCAL_REDIS_URL', env.string('REDIS_URL', 'redis://127.0.0.1:6379'), ['redis:', 'rediss:']),
    queuePrefix: env.string('FOCAL_QUEUE_PREFIX', 'focal'),
    concurrency: env.int('FOCAL_JOB_CONCURRENCY', 2, { min: 1, max: 256 }),
    retentionSeconds: env.int('FOCAL_JOB_RETENTION_SECONDS', 86_400, { min: 1 }),
    attempts: env.int('FOCAL_JOB_ATTEMPTS', 3, { min: 1, max: 100 }),
    backoffMs: env.int('FOCAL_JOB_BACKOFF_MS', 1_000, { min: 0 }),
    lockMs: env.int('FOCAL_JOB_LOCK_MS', 30_000, { min: 500 }),
    redisTimeoutMs: env.int('FOCAL_REDIS_TIMEOUT_MS', 5_000, { min: 100, max: 600_000 }),
  };
}

/** In flight per worker defaults to one full micro-batch: the next batch forms in the queue meanwhile. */
function readAdmission(env: EnvReader, maxBatchSize: number): AdmissionConfig {
  return {
    maxInflight: env.int('FOCAL_MAX_INFLIGHT', maxBatchSize, { min: 1, max: 1024 }),
    maxQueue: env.int('FOCAL_MAX_QUEUE', 2 * maxBatchSize, { min: 0, max: 100_000 }),
    queueTimeoutMs: env.int('FOCAL_QUEUE_TIMEOUT_MS', 10_000, { min: 1, max: 3_600_000 }),
    refusalHoldMaxMs: env.int('FOCAL_REFUSAL_HOLD_MAX_MS', 1_000, { min: 0, max: 60_000 }),
  };
}

export function buildApiConfig(source: Env): ApiConfig {
  const env = new EnvReader(source);
  const maxBatchSize = env.int('FOCAL_MAX_BATCH_SIZE', 8, { min: 1, max: 64 });
  const config: ApiConfig = {
    runtime: env.oneOf('FOCAL_RUNTIME', ['local', 'kubernetes'] as const, 'local'),
    host: env.string('FOCAL_HOST', '0.0.0.0'),
    port: env.int('FOCAL_PORT', env.int('PORT', 8000, { min: 0, max: 65535 }), { min: 0, max: 65535 }),
    hub: readHubConfig(env),
    logging: readLoggingConfig(env),
    corsOrigins: env.list('FOCAL_CORS_ORIGINS', ['*']),
    autoLoad: env.bool('FOCAL_AUTO_LOAD', true),
    preload: readPreload(env),
    defaultDevice: env.oneOf('FOCAL_DEVICE', DEVICES, 'cpu'),
    defaultModels: readDefaultModels(env),
    loadTimeoutMs: env.int('FOCAL_LOAD_TIMEOUT_MS', 300_000, { min: 1_000 }),
    inferenceTimeoutMs: env.int('FOCAL_INFERENCE_TIMEOUT_MS', 120_000, { min: 1_000 }),
    elastic: readElastic(env),
    apiKeys: readApiKeys(env),
    limits: readLimits(env),
    jobs: readJobs(env),
    admission: readAdmission(env, maxBatchSize),
    local: {
      workerEntry: env.optionalString('FOCAL_WORKER_ENTRY'),
      host: env.string('FOCAL_WORKER_HOST', '127.0.0.1'),
      maxBatchSize,
      maxBatchDelayMs: env.int('FOCAL_MAX_BATCH_DELAY_MS', 2, { min: 0, max: 1000 }),
      maxBatchElements:
        env.raw('FOCAL_MAX_BATCH_ELEMENTS') === undefined
          ? undefined
          : env.int('FOCAL_MAX_BATCH_ELEMENTS', 0, { min: 0 }),
      intraOpThreads: env.int('FOCAL_INTRA_OP_THREADS', 0, { min: 0, max: 256 }),
      stopTimeoutMs: env.int('FOCAL_WORKER_STOP_TIMEOUT_MS', 10_000, { min: 100 }),
    },
    kubernetes: {
      namespace: env.string('FOCAL_K8S_NAMESPACE', 'default'),
      modelServicePort: env.int('FOCAL_K8S_MODEL_PORT', 8080, { min: 1, max: 65535 }),
      serviceUrlTemplate: env.string('FOCAL_K8S_SERVICE_URL', 'http://focal-model-{name}.{namespace}.svc:{port}'),
      pollMs: env.int('FOCAL_K8S_POLL_MS', 1_000, { min: 50, max: 60_000 }),
      routing: env.oneOf(
        'FOCAL_K8S_ROUTING',
        ['pods', 'service'] as const,
        env.optionalString('FOCAL_K8S_SERVICE_URL') ? 'service' : 'pods',
      ),
    },
    playgroundDir: env.optionalString('FOCAL_PLAYGROUND_DIR'),
    processEnv: Object.fromEntries(
      Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
  };
  env.assertValid();
  return config;
}

export function loadApiConfig(): ApiConfig {
  return buildApiConfig(readProcessEnv());
}
