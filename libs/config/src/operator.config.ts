import { hostname } from 'node:os';
import { Env, EnvReader } from './env.reader.js';
import { readProcessEnv } from './process-env.js';
import { LoggingConfig, readLoggingConfig } from './shared.config.js';

export const IMAGE_PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;
export type ImagePullPolicy = (typeof IMAGE_PULL_POLICIES)[number];

/** A core Toleration, as FOCAL_GPU_TOLERATIONS carries them (JSON). */
export interface OperatorToleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  tolerationSeconds?: number;
}

export interface LeaderElectionConfig {
  enabled: boolean;
  leaseName: string;
  /** How long a holder's claim lasts without renewal (the Lease's leaseDurationSeconds). */
  leaseDurationSeconds: number;
  /** How often the leader renews. */
  renewPeriodMs: number;
  /** How long the leader keeps trying to renew before it gives up leading; shorter than the lease duration. */
  renewDeadlineMs: number;
  /** How often a candidate tries to acquire. */
  retryPeriodMs: number;
}

export interface ModelPodConfig {
  /** The inference image for `device: cpu`. */
  image: string;
  imagePullPolicy: ImagePullPolicy;
  /** The inference image for `device: cuda`. */
  cudaImage: string;
  cudaImagePullPolicy: ImagePullPolicy;
  imagePullSecrets: string[];
  gpu: {
    nodeSelector: Record<string, string>;
    tolerations: OperatorToleration[];
    /** Unset when GPU nodes run the NVIDIA runtime by default. */
    runtimeClassName: string | undefined;
    resourceName: string;
  };
  /** The Secret model pods read HF_TOKEN from when a ModelDeployment names none; unset for no token. */
  hfToken: { secretName: string | undefined; secretKey: string };
  /**
   * The hub model pods fetch from (their HF_ENDPOINT): a mirror or a proxy inside the cluster's network.
   * Unset: the worker's own default, https://huggingface.co.
   */
  hfEndpoint: string | undefined;
  /**
   * How long a model's Deployment may go without progress before the Deployment controller reports
   * ProgressDeadlineExceeded and the ModelDeployment is Failed. It must outlast the largest download plus the
   * startup probe's 10 minutes, or a slow but healthy load would be reported as Failed.
   */
  progressDeadlineSeconds: number;
}

/** The autoscaler of ModelDeployments with spec.autoscaling (apps/operator/src/autoscaling). */
export interface AutoscalerConfig {
  /** How often the API pods are scraped and every autoscaled ModelDeployment is decided again. */
  intervalMs: number;
  /** The moving average's window. */
  windowMs: number;
  /** Where the API pods are: their namespace and label selector, and the port of their /metrics. */
  apiNamespace: string;
  apiSelector: string;
  apiPort: number;
  /** Per-pod timeout of one scrape. */
  scrapeTimeoutMs: number;
}

export interface OperatorConfig {
  /** The operator's own namespace: the Lease lives here, and it is the one watched unless watchAllNamespaces. */
  namespace: string;
  watchAllNamespaces: boolean;
  /** The leader-election identity. */
  podName: string;
  leaderElection: LeaderElectionConfig;
  metrics: { host: string; port: number };
  /** Reconcile workers; one key is never processed by two at once. */
  workers: number;
  /** Every ModelDeployment is queued again this often, to repair drift no watch reported. */
  resyncPeriodMs: number;
  /** Retry delay after a failed reconcile: base × 2^(failures−1), capped. */
  backoff: { baseMs: number; maxMs: number };
  /** How long shutdown waits for queued keys to drain before it gives up on them. */
  shutdownTimeoutMs: number;
  modelPods: ModelPodConfig;
  autoscaler: AutoscalerConfig;
  logging: LoggingConfig;
}

export function buildOperatorConfig(source: Env): OperatorConfig {
  const env = new EnvReader(source);
  const leaseDurationSeconds = env.int('FOCAL_LEADER_ELECTION_LEASE_DURATION_SECONDS', 15, { min: 1, max: 3600 });
  const renewPeriodMs = env.int('FOCAL_LEADER_ELECTION_RENEW_PERIOD_MS', 5000, { min: 10 });
  const renewDeadlineMs = env.int('FOCAL_LEADER_ELECTION_RENEW_DEADLINE_MS', 10_000, { min: 10 });
  if (renewDeadlineMs >= leaseDurationSeconds * 1000) {
    env.problem('FOCAL_LEADER_ELECTION_RENEW_DEADLINE_MS must be shorter than the lease duration');
  }
  if (renewPeriodMs >= renewDeadlineMs) {
    env.problem('FOCAL_LEADER_ELECTION_RENEW_PERIOD_MS must be shorter than FOCAL_LEADER_ELECTION_RENEW_DEADLINE_MS');
  }
  const backoffBaseMs = env.int('FOCAL_OPERATOR_BACKOFF_BASE_MS', 500, { min: 1 });
  const backoffMaxMs = env.int('FOCAL_OPERATOR_BACKOFF_MAX_MS', 120_000, { min: 1 });
  if (backoffMaxMs < backoffBaseMs)
    env.problem('FOCAL_OPERATOR_BACKOFF_MAX_MS must be >= FOCAL_OPERATOR_BACKOFF_BASE_MS');
  const namespace = env.string('FOCAL_OPERATOR_NAMESPACE', 'default');
  const config: OperatorConfig = {
    namespace,
    watchAllNamespaces: env.bool('FOCAL_OPERATOR_WATCH_ALL_NAMESPACES', false),
    podName: env.string('FOCAL_POD_NAME', hostname()),
    leaderElection: {
      enabled: env.bool('FOCAL_LEADER_ELECTION', true),
      leaseName: env.string('FOCAL_LEADER_ELECTION_LEASE_NAME', 'focal-operator'),
      leaseDurationSeconds,
      renewPeriodMs,
      renewDeadlineMs,
      retryPeriodMs: env.int('FOCAL_LEADER_ELECTION_RETRY_PERIOD_MS', 2000, { min: 10 }),
    },
    metrics: {
      host: env.string('FOCAL_OPERATOR_METRICS_HOST', '0.0.0.0'),
      port: env.int('FOCAL_OPERATOR_METRICS_PORT', 8081, { min: 0, max: 65535 }),
    },
    workers: env.int('FOCAL_OPERATOR_WORKERS', 2, { min: 1, max: 64 }),
    resyncPeriodMs: env.int('FOCAL_OPERATOR_RESYNC_SECONDS', 300, { min: 0 }) * 1000,
    backoff: { baseMs: backoffBaseMs, maxMs: backoffMaxMs },
    shutdownTimeoutMs: env.int('FOCAL_OPERATOR_SHUTDOWN_TIMEOUT_MS', 20_000, { min: 0 }),
    modelPods: {
      image: env.string('FOCAL_INFERENCE_IMAGE', 'focal/inference:latest'),
      imagePullPolicy: env.oneOf('FOCAL_INFERENCE_IMAGE_PULL_POLICY', IMAGE_PULL_POLICIES, 'IfNotPresent'),
      cudaImage: env.string('FOCAL_INFERENCE_CUDA_IMAGE', 'focal/inference-cuda:latest'),
      cudaImagePullPolicy: env.oneOf('FOCAL_INFERENCE_CUDA_IMAGE_PULL_POLICY', IMAGE_PULL_POLICIES, 'IfNotPresent'),
      imagePullSecrets: env.list('FOCAL_IMAGE_PULL_SECRETS'),
      gpu: {
        nodeSelector: readNodeSelector(env, 'FOCAL_GPU_NODE_SELECTOR'),
        tolerations: readTolerations(env, 'FOCAL_GPU_TOLERATIONS'),
        runtimeClassName: env.optionalString('FOCAL_GPU_RUNTIME_CLASS'),
        resourceName: env.string('FOCAL_GPU_RESOURCE_NAME', 'nvidia.com/gpu'),
      },
      hfToken: {
        secretName: env.optionalString('FOCAL_HF_TOKEN_SECRET'),
        secretKey: env.string('FOCAL_HF_TOKEN_SECRET_KEY', 'hf-token'),
      },
      hfEndpoint: optionalHubUrl(env, 'FOCAL_HF_ENDPOINT'),
      progressDeadlineSeconds: env.int('FOCAL_MODEL_PROGRESS_DEADLINE_SECONDS', 1800, { min: 1, max: 86_400 }),
    },
    autoscaler: {
      intervalMs: env.int('FOCAL_AUTOSCALER_INTERVAL_MS', 2_000, { min: 100, max: 600_000 }),
      windowMs: env.int('FOCAL_AUTOSCALER_WINDOW_SECONDS', 10, { min: 1, max: 3600 }) * 1000,
      apiNamespace: env.string('FOCAL_AUTOSCALER_API_NAMESPACE', namespace),
      apiSelector: env.string('FOCAL_AUTOSCALER_API_SELECTOR', 'app.kubernetes.io/component=api'),
      apiPort: env.int('FOCAL_AUTOSCALER_API_PORT', 8000, { min: 1, max: 65535 }),
      scrapeTimeoutMs: env.int('FOCAL_AUTOSCALER_SCRAPE_TIMEOUT_MS', 2_000, { min: 100 }),
    },
    logging: readLoggingConfig(env),
  };
  env.assertValid();
  return config;
}

export function loadOperatorConfig(): OperatorConfig {
  return buildOperatorConfig(readProcessEnv());
}

function readJson(env: EnvReader, name: string): unknown {
  const raw = env.optionalString(name);
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    env.problem(`${name} must be JSON, got "${raw}"`);
    return undefined;
  }
}

function readNodeSelector(env: EnvReader, name: string): Record<string, string> {
  const value = readJson(env, name);
  if (value === undefined || value === null) return {};
  const valid =
    typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
  if (valid) return value as Record<string, string>;
  env.problem(`${name} must be a JSON object of string values`);
  return {};
}

const TOLERATION_FIELDS: Record<string, (v: unknown) => boolean> = {
  key: (v) => typeof v === 'string',
  operator: (v) => v === 'Exists' || v === 'Equal',
  value: (v) => typeof v === 'string',
  effect: (v) => v === 'NoSchedule' || v === 'PreferNoSchedule' || v === 'NoExecute',
  tolerationSeconds: (v) => Number.isInteger(v),
};

function readTolerations(env: EnvReader, name: string): OperatorToleration[] {
  const value = readJson(env, name);
  if (value === undefined || value === null) return [];
  const valid =
    Array.isArray(value) &&
    value.every(
      (item) =>
        typeof item === 'object' &&
        item !== null &&
        !Array.isArray(item) &&
        Object.entries(item as Record<string, unknown>).every(([k, v]) => TOLERATION_FIELDS[k]?.(v) ?? false),
    );
  if (valid) return value as OperatorToleration[];
  env.problem(`${name} must be a JSON array of tolerations (key, operator, value, effect, tolerationSeconds)`);
  return [];
}

/** An http(s) URL when set; empty (as the chart renders an unset value) means unset. */
function optionalHubUrl(env: EnvReader, name: string): string | undefined {
  if (env.optionalString(name) === undefined) return undefined;
  return env.url(name, '', ['http:', 'https:']);
}
