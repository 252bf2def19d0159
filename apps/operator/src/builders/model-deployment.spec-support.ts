import type { ModelPodConfig } from '@focal/config';
import {
  MODEL_DEPLOYMENT_API_VERSION,
  MODEL_DEPLOYMENT_KIND,
  type ModelDeployment,
  type ModelDeploymentSpec,
} from '@focal/contracts';

/**
 * Inputs for the builder and status specs: a ModelDeployment as the API server returns it (schema
 * defaults applied) and the operator settings the Helm chart gives by default.
 */
export function modelDeployment(
  spec: Partial<ModelDeploymentSpec> = {},
  metadata: Partial<ModelDeployment['metadata']> = {},
): ModelDeployment {
  return {
    apiVersion: MODEL_DEPLOYMENT_API_VERSION,
    kind: MODEL_DEPLOYMENT_KIND,
    metadata: {
      name: 'sam3',
      namespace: 'focal',
      uid: '6f1c2a9e-0000-4000-8000-000000000001',
      generation: 1,
      resourceVersion: '10',
      ...metadata,
    },
    spec: {
      modelType: 'sam3',
      modelId: 'org/sam3-onnx',
      replicas: 1,
      device: 'cuda',
      batching: { maxBatchSize: 1, maxDelayMs: 0 },
      ...spec,
    },
  };
}

export function podConfig(overrides: Partial<ModelPodConfig> = {}): ModelPodConfig {
  return {
    image: 'focal/inference:0.1.0',
    imagePullPolicy: 'IfNotPresent',
    cudaImage: 'focal/inference-cuda:0.1.0',
    cudaImagePullPolicy: 'Always',
    imagePullSecrets: [],
    gpu: {
      nodeSelector: { 'nvidia.com/gpu.present': 'true' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      runtimeClassName: 'nvidia',
      resourceName: 'nvidia.com/gpu',
    },
    hfToken: { secretName: undefined, secretKey: 'hf-token' },
    hfEndpoint: undefined,
    progressDeadlineSeconds: 1800,
    ...overrides,
  };
}
