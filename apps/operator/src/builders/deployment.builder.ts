import type { ModelPodConfig } from '@focal/config';
import {
  MODEL_DEPLOYMENT_DEFAULTS,
  type ModelDeployment,
  type ModelDeploymentSpec,
  type SecretKeyReference,
} from '@focal/contracts';
import type {
  Container,
  DeploymentObject,
  DeploymentSpec,
  EnvVar,
  HttpProbe,
  PodSpec,
  ResourceRequirements,
  Toleration,
  Volume,
} from '../cluster/kube-objects.js';
import {
  childLabels,
  childMetadata,
  MODEL_HTTP_PORT,
  MODEL_PORT_NAME,
  selectorLabels,
  TEMPLATE_HASH_ANNOTATION,
} from './model-workload.names.js';
import { specHash, withSpecHash } from './spec-hash.js';

/** The model id that makes the inference image generate its demo model instead of fetching one. */
export const DEMO_MODEL_ID = 'demo';
/** Where the cache volume is mounted; HF_ROOT_FOLDER points here in both containers. */
export const MODEL_CACHE_PATH = '/models';
export const MODEL_CACHE_VOLUME = 'model-cache';
export const INFERENCE_CONTAINER = 'inference';
export const PREFETCH_CONTAINER = 'fetch-model';
/** The uid and gid the inference images run as (docker/inference*.Dockerfile). */
const IMAGE_USER = 1000;

/** Startup may take this long before liveness applies: 120 × 5 s = 10 minutes for loading and warm-up. */
export const STARTUP_PROBE: HttpProbe = {
  httpGet: { path: '/readyz', port: MODEL_PORT_NAME },
  periodSeconds: 5,
  timeoutSeconds: 3,
  failureThreshold: 120,
};
export const READINESS_PROBE: HttpProbe = {
  httpGet: { path: '/readyz', port: MODEL_PORT_NAME },
  periodSeconds: 5,
  timeoutSeconds: 3,
  failureThreshold: 3,
};
export const LIVENESS_PROBE: HttpProbe = {
  httpGet: { path: '/healthz', port: MODEL_PORT_NAME },
  periodSeconds: 10,
  timeoutSeconds: 5,
  failureThreshold: 3,
};

/** The desired Deployment of a ModelDeployment: a pure function of the resource and the operator's settings. */
export function buildDeployment(md: ModelDeployment, pods: ModelPodConfig): DeploymentObject {
  const { spec } = md;
  const cuda = (spec.device ?? MODEL_DEPLOYMENT_DEFAULTS.device) === 'cuda';
  const image = spec.image ?? (cuda ? pods.cudaImage : pods.image);
  const imagePullPolicy = cuda ? pods.cudaImagePullPolicy : pods.imagePullPolicy;
  const demo = spec.modelId === DEMO_MODEL_ID;
  const resources = containerResources(spec, pods, cuda);
  const mounts = [
    { name: MODEL_CACHE_VOLUME, mountPath: MODEL_CACHE_PATH },
    { name: 'tmp', mountPath: '/tmp' },
  ];
  const securityContext = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  };

  const inference: Container = {
    name: INFERENCE_CONTAINER,
    image,
    imagePullPolicy,
    env: inferenceEnv(spec, demo),
    ports: [{ name: MODEL_PORT_NAME, containerPort: MODEL_HTTP_PORT, protocol: 'TCP' }],
    ...(resources ? { resources } : {}),
    volumeMounts: mounts,
    startupProbe: STARTUP_PROBE,
    readinessProbe: READINESS_PROBE,
    livenessProbe: LIVENESS_PROBE,
    securityContext,
    // The worker logs why its model failed to load as its last line; the kubelet copies that tail
    // into terminated.message, which the operator puts in the ModelDeployment status.
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
  const prefetchResources = withoutResource(resources, pods.gpu.resourceName);
  const prefetch: Container = {
    name: PREFETCH_CONTAINER,
    image,
    imagePullPolicy,
    env: prefetchEnv(spec, hfTokenReference(spec, pods), pods.hfEndpoint),
    ...(prefetchResources ? { resources: prefetchResources } : {}),
    volumeMounts: mounts,
    securityContext,
    // A failed fetch (401, 404, a full disk) is reported from this tail as ModelFetchFailed.
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };

  const nodeSelector = { ...(cuda ? pods.gpu.nodeSelector : {}), ...spec.nodeSelector };
  const tolerations: Toleration[] = [...(cuda ? pods.gpu.tolerations : []), ...(spec.tolerations ?? [])];
  const runtimeClassName = cuda ? pods.gpu.runtimeClassName : undefined;
  const podSpec: PodSpec = {
    // Service links would inject variables such as FOCAL_MODEL_SAM3_PORT=tcp://… into the worker's environment.
    enableServiceLinks: false,
    // Model pods never call the Kubernetes API.
    automountServiceAccountToken: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: IMAGE_USER,
      runAsGroup: IMAGE_USER,
      // Makes a PVC cache writable for the image's user.
      fsGroup: IMAGE_USER,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    ...(demo ? {} : { initContainers: [prefetch] }),
    containers: [inference],
    volumes: [cacheVolume(spec), { name: 'tmp', emptyDir: {} }],
    ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
    ...(tolerations.length > 0 ? { tolerations } : {}),
    ...(runtimeClassName ? { runtimeClassName } : {}),
    ...(pods.imagePullSecrets.length > 0 ? { imagePullSecrets: pods.imagePullSecrets.map((name) => ({ name })) } : {}),
  };

  return withSpecHash({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: childMetadata(md),
    spec: {
      replicas: spec.replicas ?? MODEL_DEPLOYMENT_DEFAULTS.replicas,
      selector: { matchLabels: selectorLabels(md) },
      // A surge pod on cuda would need a spare GPU, which clusters rarely keep, and the rollout
      // would hang; on cpu a surge pod keeps the model served during the rollout.
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: cuda ? { maxSurge: 0, maxUnavailable: 1 } : { maxSurge: 1, maxUnavailable: 0 },
      },
      progressDeadlineSeconds: pods.progressDeadlineSeconds,
      revisionHistoryLimit: 3,
      template: podTemplate(childLabels(md), podSpec),
    },
  });
}

/** The pod template, stamped with its own hash: see TEMPLATE_HASH_ANNOTATION. */
function podTemplate(labels: Record<string, string>, spec: PodSpec): DeploymentSpec['template'] {
  const annotations = {
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': String(MODEL_HTTP_PORT),
    'prometheus.io/path': '/metrics',
  };
  const hash = specHash({ labels, annotations, spec });
  return { metadata: { labels, annotations: { ...annotations, [TEMPLATE_HASH_ANNOTATION]: hash } }, spec };
}

/**
 * The worker's model id: a hub repo with a pinned revision is `repo@revision`, the form the model
 * store parses; URLs, files and ids that already carry a revision are passed unchanged.
 */
export function workerModelId(spec: Pick<ModelDeploymentSpec, 'modelId' | 'revision'>): string {
  const { modelId, revision } = spec;
  if (!revision || modelId === DEMO_MODEL_ID) return modelId;
  const hub = modelId.startsWith('hf://') || !modelId.includes('://');
  if (!hub || modelId.includes('@')) return modelId;
  return `${modelId}@${revision}`;
}

function inferenceEnv(spec: ModelDeploymentSpec, demo: boolean): EnvVar[] {
  const batching = spec.batching ?? {};
  return [
    { name: 'FOCAL_MODEL_TYPE', value: spec.modelType },
    { name: 'FOCAL_MODEL_ID', value: workerModelId(spec) },
    { name: 'FOCAL_DEVICE', value: spec.device ?? MODEL_DEPLOYMENT_DEFAULTS.device },
    { name: 'FOCAL_HOST', value: '0.0.0.0' },
    { name: 'FOCAL_INFERENCE_PORT', value: String(MODEL_HTTP_PORT) },
    // The worker is the container's main process, not a child of a local API process.
    { name: 'FOCAL_EXIT_WITH_PARENT', value: 'false' },
    { name: 'FOCAL_MAX_BATCH_SIZE', value: String(batching.maxBatchSize ?? MODEL_DEPLOYMENT_DEFAULTS.maxBatchSize) },
    { name: 'FOCAL_MAX_BATCH_DELAY_MS', value: String(batching.maxDelayMs ?? MODEL_DEPLOYMENT_DEFAULTS.maxDelayMs) },
    { name: 'HF_ROOT_FOLDER', value: MODEL_CACHE_PATH },
    // The init container filled the cache; the server must never download at startup. The demo
    // model is generated locally and has no init container.
    ...(demo ? [] : [{ name: 'HF_HUB_OFFLINE', value: 'true' }]),
  ];
}

/** Only the init container reaches the hub (the server runs offline), so only it gets the endpoint and token. */
function prefetchEnv(
  spec: ModelDeploymentSpec,
  token: { ref: SecretKeyReference; optional: boolean } | undefined,
  hfEndpoint: string | undefined,
): EnvVar[] {
  return [
    { name: 'FOCAL_PREFETCH_ONLY', value: 'true' },
    { name: 'FOCAL_MODEL_TYPE', value: spec.modelType },
    { name: 'FOCAL_MODEL_ID', value: workerModelId(spec) },
    { name: 'HF_ROOT_FOLDER', value: MODEL_CACHE_PATH },
    ...(hfEndpoint ? [{ name: 'HF_ENDPOINT', value: hfEndpoint }] : []),
    ...(token
      ? [
          {
            name: 'HF_TOKEN',
            valueFrom: { secretKeyRef: { name: token.ref.name, key: token.ref.key, optional: token.optional } },
          },
        ]
      : []),
  ];
}

/**
 * The resource's own Secret is required (naming one means the model needs it); the operator-wide
 * default is optional, so public models still start where that Secret was never created.
 */
function hfTokenReference(
  spec: ModelDeploymentSpec,
  pods: ModelPodConfig,
): { ref: SecretKeyReference; optional: boolean } | undefined {
  if (spec.hfTokenSecret) return { ref: spec.hfTokenSecret, optional: false };
  const { secretName, secretKey } = pods.hfToken;
  return secretName ? { ref: { name: secretName, key: secretKey }, optional: true } : undefined;
}

function cacheVolume(spec: ModelDeploymentSpec): Volume {
  const cache = spec.cache;
  if (cache?.pvc) return { name: MODEL_CACHE_VOLUME, persistentVolumeClaim: { claimName: cache.pvc.claimName } };
  const sizeLimit = cache?.emptyDir?.sizeLimit;
  return { name: MODEL_CACHE_VOLUME, emptyDir: sizeLimit === undefined ? {} : { sizeLimit } };
}

/**
 * spec.resources, plus one GPU on cuda unless the resource sets a GPU count itself. GPUs cannot be
 * overcommitted, so a GPU request without a limit gets the same limit (the API server would refuse it).
 */
function containerResources(
  spec: ModelDeploymentSpec,
  pods: ModelPodConfig,
  cuda: boolean,
): ResourceRequirements | undefined {
  const requests = { ...spec.resources?.requests };
  const limits = { ...spec.resources?.limits };
  const gpu = pods.gpu.resourceName;
  if (cuda && limits[gpu] === undefined) limits[gpu] = requests[gpu] ?? 1;
  return compactResources({ requests, limits });
}

/** The init container only downloads: the same CPU and memory, no GPU to hold while it runs. */
function withoutResource(resources: ResourceRequirements | undefined, name: string): ResourceRequirements | undefined {
  if (!resources) return undefined;
  const drop = (map: Record<string, string | number> | undefined) =>
    Object.fromEntries(Object.entries(map ?? {}).filter(([key]) => key !== name));
  return compactResources({ requests: drop(resources.requests), limits: drop(resources.limits) });
}

function compactResources(resources: ResourceRequirements): ResourceRequirements | undefined {
  const requests = resources.requests ?? {};
  const limits = resources.limits ?? {};
  const result: ResourceRequirements = {
    ...(Object.keys(requests).length > 0 ? { requests } : {}),
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
  };
  return Object.keys(result).length > 0 ? result : undefined;
}
