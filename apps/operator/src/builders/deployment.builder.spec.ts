import type { ModelPodConfig } from '@focal/config';
import type { ModelDeploymentSpec } from '@focal/contracts';
import type { Container, DeploymentObject, EnvVar } from '../cluster/kube-objects.js';
import {
  buildDeployment,
  INFERENCE_CONTAINER,
  LIVENESS_PROBE,
  PREFETCH_CONTAINER,
  READINESS_PROBE,
  STARTUP_PROBE,
  workerModelId,
} from './deployment.builder.js';
import { modelDeployment, podConfig } from './model-deployment.spec-support.js';
import { SPEC_HASH_ANNOTATION, TEMPLATE_HASH_ANNOTATION } from './model-workload.names.js';

function build(spec: Partial<ModelDeploymentSpec> = {}, pods: Partial<ModelPodConfig> = {}): DeploymentObject {
  return buildDeployment(modelDeployment(spec), podConfig(pods));
}

function container(d: DeploymentObject, name: string): Container | undefined {
  const pod = d.spec?.template.spec;
  return [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])].find((c) => c.name === name);
}

function env(c: Container | undefined): Record<string, string | EnvVar['valueFrom']> {
  return Object.fromEntries((c?.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));
}

const inference = (d: DeploymentObject) => container(d, INFERENCE_CONTAINER);
const prefetch = (d: DeploymentObject) => container(d, PREFETCH_CONTAINER);
const pod = (d: DeploymentObject) => d.spec?.template.spec;

describe('buildDeployment', () => {
  it('names, labels and owns the Deployment, selecting pods by name and instance', () => {
    const d = build();
    expect(d.metadata).toMatchObject({
      name: 'focal-model-sam3',
      namespace: 'focal',
      labels: {
        'app.kubernetes.io/name': 'focal-model',
        'app.kubernetes.io/instance': 'sam3',
        'app.kubernetes.io/managed-by': 'focal-operator',
        'focal.dev/model-type': 'sam3',
      },
      ownerReferences: [
        {
          apiVersion: 'focal.dev/v1alpha1',
          kind: 'ModelDeployment',
          name: 'sam3',
          uid: '6f1c2a9e-0000-4000-8000-000000000001',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
    expect(d.spec?.selector).toEqual({
      matchLabels: { 'app.kubernetes.io/name': 'focal-model', 'app.kubernetes.io/instance': 'sam3' },
    });
    expect(d.spec?.template.metadata?.labels).toEqual(d.metadata.labels);
    expect(d.metadata.annotations?.[SPEC_HASH_ANNOTATION]).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each<[string, Partial<ModelDeploymentSpec>, Partial<ModelPodConfig>, (d: DeploymentObject) => unknown, unknown]>([
    ['replicas come from spec.replicas', { replicas: 3 }, {}, (d) => d.spec?.replicas, 3],
    ['replicas 0 stay 0 (unloaded)', { replicas: 0 }, {}, (d) => d.spec?.replicas, 0],
    ['replicas default to 1', { replicas: undefined }, {}, (d) => d.spec?.replicas, 1],
    ['service links are off', {}, {}, (d) => pod(d)?.enableServiceLinks, false],
    [
      'cpu uses the CPU image and its pull policy',
      { device: 'cpu' },
      {},
      (d) => [inference(d)?.image, inference(d)?.imagePullPolicy],
      ['focal/inference:0.1.0', 'IfNotPresent'],
    ],
    [
      'cuda uses the CUDA image and its pull policy',
      { device: 'cuda' },
      {},
      (d) => [inference(d)?.image, inference(d)?.imagePullPolicy],
      ['focal/inference-cuda:0.1.0', 'Always'],
    ],
    [
      'spec.image overrides the device image, init container included',
      { image: 'me/custom:1' },
      {},
      (d) => [inference(d)?.image, prefetch(d)?.image],
      ['me/custom:1', 'me/custom:1'],
    ],
    ['cpu gets no GPU limit', { device: 'cpu' }, {}, (d) => inference(d)?.resources, undefined],
    [
      'cpu gets no GPU node selector, tolerations or runtime class',
      { device: 'cpu' },
      {},
      (d) => [pod(d)?.nodeSelector, pod(d)?.tolerations, pod(d)?.runtimeClassName],
      [undefined, undefined, undefined],
    ],
    [
      'cuda gets one GPU by default',
      { device: 'cuda' },
      {},
      (d) => inference(d)?.resources,
      { limits: { 'nvidia.com/gpu': 1 } },
    ],
    [
      'cuda keeps a GPU count set in limits',
      { resources: { limits: { 'nvidia.com/gpu': 2, memory: '8Gi' } } },
      {},
      (d) => inference(d)?.resources?.limits,
      { 'nvidia.com/gpu': 2, memory: '8Gi' },
    ],
    [
      'cuda copies a GPU request into the limit, as extended resources require',
      { resources: { requests: { 'nvidia.com/gpu': 2 } } },
      {},
      (d) => inference(d)?.resources,
      { requests: { 'nvidia.com/gpu': 2 }, limits: { 'nvidia.com/gpu': 2 } },
    ],
    [
      'cuda uses the configured GPU resource name',
      {},
      { gpu: { ...podConfig().gpu, resourceName: 'amd.com/gpu' } },
      (d) => inference(d)?.resources?.limits,
      { 'amd.com/gpu': 1 },
    ],
    [
      'spec.resources pass through on cpu',
      { device: 'cpu', resources: { requests: { cpu: '2', memory: '4Gi' }, limits: { memory: '4Gi' } } },
      {},
      (d) => inference(d)?.resources,
      { requests: { cpu: '2', memory: '4Gi' }, limits: { memory: '4Gi' } },
    ],
    [
      'the init container gets CPU and memory but never the GPU',
      { resources: { requests: { cpu: '1' }, limits: { memory: '2Gi', 'nvidia.com/gpu': 1 } } },
      {},
      (d) => prefetch(d)?.resources,
      { requests: { cpu: '1' }, limits: { memory: '2Gi' } },
    ],
    [
      'cuda merges spec node selector over the GPU default',
      { nodeSelector: { pool: 'a100', 'nvidia.com/gpu.present': 'yes' } },
      {},
      (d) => pod(d)?.nodeSelector,
      { 'nvidia.com/gpu.present': 'yes', pool: 'a100' },
    ],
    [
      'cpu keeps only the spec node selector',
      { device: 'cpu', nodeSelector: { pool: 'cpu' } },
      {},
      (d) => pod(d)?.nodeSelector,
      { pool: 'cpu' },
    ],
    [
      'cuda appends spec tolerations after the GPU ones',
      { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'ml', effect: 'NoSchedule' }] },
      {},
      (d) => pod(d)?.tolerations,
      [
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'dedicated', operator: 'Equal', value: 'ml', effect: 'NoSchedule' },
      ],
    ],
    ['cuda sets the configured runtime class', {}, {}, (d) => pod(d)?.runtimeClassName, 'nvidia'],
    [
      'no runtime class when none is configured',
      {},
      { gpu: { ...podConfig().gpu, runtimeClassName: undefined } },
      (d) => pod(d)?.runtimeClassName,
      undefined,
    ],
    [
      'pull secrets are referenced by name',
      {},
      { imagePullSecrets: ['regcred', 'ghcr'] },
      (d) => pod(d)?.imagePullSecrets,
      [{ name: 'regcred' }, { name: 'ghcr' }],
    ],
    ['the cache is an emptyDir by default', {}, {}, (d) => pod(d)?.volumes?.[0], { name: 'model-cache', emptyDir: {} }],
    [
      'an emptyDir cache keeps its size limit',
      { cache: { emptyDir: { sizeLimit: '20Gi' } } },
      {},
      (d) => pod(d)?.volumes?.[0],
      { name: 'model-cache', emptyDir: { sizeLimit: '20Gi' } },
    ],
    [
      'a PVC cache mounts the named claim',
      { cache: { pvc: { claimName: 'models' } } },
      {},
      (d) => pod(d)?.volumes?.[0],
      { name: 'model-cache', persistentVolumeClaim: { claimName: 'models' } },
    ],
    [
      'both containers mount the cache at /models',
      {},
      {},
      (d) => [inference(d), prefetch(d)].map((c) => c?.volumeMounts?.find((m) => m.name === 'model-cache')?.mountPath),
      ['/models', '/models'],
    ],
    [
      'probes: readiness /readyz, liveness /healthz, a generous startup probe on /readyz',
      {},
      {},
      (d) => [inference(d)?.readinessProbe, inference(d)?.livenessProbe, inference(d)?.startupProbe],
      [READINESS_PROBE, LIVENESS_PROBE, STARTUP_PROBE],
    ],
    [
      'cuda rolls out without a surge pod (no spare GPU needed)',
      {},
      {},
      (d) => d.spec?.strategy?.rollingUpdate,
      { maxSurge: 0, maxUnavailable: 1 },
    ],
    [
      'cpu rolls out with a surge pod (no downtime)',
      { device: 'cpu' },
      {},
      (d) => d.spec?.strategy?.rollingUpdate,
      { maxSurge: 1, maxUnavailable: 0 },
    ],
  ])('%s', (_case, spec, pods, pick, expected) => {
    expect(pick(build(spec, pods))).toEqual(expected);
  });

  it('the startup probe allows 10 minutes of loading before liveness applies', () => {
    const probe = inference(build())?.startupProbe;
    expect((probe?.failureThreshold ?? 0) * (probe?.periodSeconds ?? 0)).toBeGreaterThanOrEqual(600);
  });

  it('gives the Deployment the configured progress deadline, by default past the startup probe and a download', () => {
    const probe = inference(build())?.startupProbe;
    const startup = (probe?.failureThreshold ?? 0) * (probe?.periodSeconds ?? 0);
    expect(build().spec?.progressDeadlineSeconds).toBeGreaterThan(startup);
    expect(build({}, { progressDeadlineSeconds: 45 }).spec?.progressDeadlineSeconds).toBe(45);
  });

  it.each<[string, Partial<ModelDeploymentSpec>, Record<string, unknown>]>([
    [
      'a hub model on cuda, served offline from the cache the init container filled',
      { modelId: 'org/sam3-onnx', device: 'cuda', batching: { maxBatchSize: 8, maxDelayMs: 5 } },
      {
        FOCAL_MODEL_TYPE: 'sam3',
        FOCAL_MODEL_ID: 'org/sam3-onnx',
        FOCAL_DEVICE: 'cuda',
        FOCAL_HOST: '0.0.0.0',
        FOCAL_INFERENCE_PORT: '8080',
        FOCAL_EXIT_WITH_PARENT: 'false',
        FOCAL_MAX_BATCH_SIZE: '8',
        FOCAL_MAX_BATCH_DELAY_MS: '5',
        HF_ROOT_FOLDER: '/models',
        HF_HUB_OFFLINE: 'true',
      },
    ],
    [
      'the demo model on cpu, generated in the pod, so not offline',
      { modelType: 'dinov3', modelId: 'demo', device: 'cpu', batching: undefined },
      {
        FOCAL_MODEL_TYPE: 'dinov3',
        FOCAL_MODEL_ID: 'demo',
        FOCAL_DEVICE: 'cpu',
        FOCAL_HOST: '0.0.0.0',
        FOCAL_INFERENCE_PORT: '8080',
        FOCAL_EXIT_WITH_PARENT: 'false',
        FOCAL_MAX_BATCH_SIZE: '1',
        FOCAL_MAX_BATCH_DELAY_MS: '0',
        HF_ROOT_FOLDER: '/models',
      },
    ],
  ])('inference env: %s', (_case, spec, expected) => {
    expect(env(inference(build(spec)))).toEqual(expected);
  });

  it.each<[string, Partial<ModelDeploymentSpec>, Partial<ModelPodConfig>, Record<string, unknown> | undefined]>([
    [
      'no token anywhere',
      {},
      {},
      {
        FOCAL_PREFETCH_ONLY: 'true',
        FOCAL_MODEL_TYPE: 'sam3',
        FOCAL_MODEL_ID: 'org/sam3-onnx',
        HF_ROOT_FOLDER: '/models',
      },
    ],
    [
      "the resource's own Secret, required",
      { hfTokenSecret: { name: 'gated', key: 'token' } },
      { hfToken: { secretName: 'focal-hf-token', secretKey: 'hf-token' } },
      {
        FOCAL_PREFETCH_ONLY: 'true',
        FOCAL_MODEL_TYPE: 'sam3',
        FOCAL_MODEL_ID: 'org/sam3-onnx',
        HF_ROOT_FOLDER: '/models',
        HF_TOKEN: { secretKeyRef: { name: 'gated', key: 'token', optional: false } },
      },
    ],
    [
      "the operator's default Secret, optional",
      {},
      { hfToken: { secretName: 'focal-hf-token', secretKey: 'hf-token' } },
      {
        FOCAL_PREFETCH_ONLY: 'true',
        FOCAL_MODEL_TYPE: 'sam3',
        FOCAL_MODEL_ID: 'org/sam3-onnx',
        HF_ROOT_FOLDER: '/models',
        HF_TOKEN: { secretKeyRef: { name: 'focal-hf-token', key: 'hf-token', optional: true } },
      },
    ],
    [
      'a hub mirror, with its token',
      { hfTokenSecret: { name: 'gated', key: 'token' } },
      { hfEndpoint: 'http://hub-mirror.internal:8080' },
      {
        FOCAL_PREFETCH_ONLY: 'true',
        FOCAL_MODEL_TYPE: 'sam3',
        FOCAL_MODEL_ID: 'org/sam3-onnx',
        HF_ROOT_FOLDER: '/models',
        HF_ENDPOINT: 'http://hub-mirror.internal:8080',
        HF_TOKEN: { secretKeyRef: { name: 'gated', key: 'token', optional: false } },
      },
    ],
    [
      'no init container for the demo model',
      { modelId: 'demo' },
      { hfToken: { secretName: 'x', secretKey: 'y' }, hfEndpoint: 'http://hub-mirror.internal:8080' },
      undefined,
    ],
  ])('init container env: %s', (_case, spec, pods, expected) => {
    const d = build(spec, pods);
    expect(prefetch(d) ? env(prefetch(d)) : undefined).toEqual(expected);
    expect(pod(d)?.initContainers?.length ?? 0).toBe(expected ? 1 : 0);
  });

  it.each([
    ['org/name', undefined, 'org/name'],
    ['org/name', 'v2', 'org/name@v2'],
    ['hf://org/name', 'abc123', 'hf://org/name@abc123'],
    ['org/name@main', 'v2', 'org/name@main'],
    ['https://example.com/m.onnx', 'v2', 'https://example.com/m.onnx'],
    ['file:///models/m', 'v2', 'file:///models/m'],
    ['demo', 'v2', 'demo'],
  ])('worker model id of %s at revision %s is %s', (modelId, revision, expected) => {
    expect(workerModelId({ modelId, revision })).toBe(expected);
  });

  it('hashes the desired state: equal input, equal hash; any spec change, a new hash', () => {
    const hash = (spec: Partial<ModelDeploymentSpec>) => build(spec).metadata.annotations?.[SPEC_HASH_ANNOTATION];
    expect(hash({})).toBe(hash({}));
    const variants = [
      { replicas: 2 },
      { device: 'cpu' as const },
      { modelId: 'org/other' },
      { batching: { maxBatchSize: 4 } },
    ];
    const hashes = new Set([hash({}), ...variants.map(hash)]);
    expect(hashes.size).toBe(variants.length + 1);
  });

  it('stamps the pod template with a hash of itself: new for a new pod, the same for a new replica count', () => {
    const hash = (spec: Partial<ModelDeploymentSpec>) =>
      build(spec).spec?.template.metadata?.annotations?.[TEMPLATE_HASH_ANNOTATION];
    expect(hash({})).toMatch(/^[0-9a-f]{16}$/);
    expect(hash({ replicas: 3 })).toBe(hash({}));
    expect(hash({ replicas: 0 })).toBe(hash({}));
    for (const variant of [{ modelId: 'org/other' }, { device: 'cpu' as const }, { batching: { maxBatchSize: 4 } }]) {
      expect(hash(variant)).not.toBe(hash({}));
    }
  });

  it('ignores metadata that does not shape the children (resourceVersion, generation)', () => {
    const pods = podConfig();
    const a = buildDeployment(modelDeployment({}, { resourceVersion: '1', generation: 1 }), pods);
    const b = buildDeployment(modelDeployment({}, { resourceVersion: '99', generation: 7 }), pods);
    expect(b).toEqual(a);
  });
});
