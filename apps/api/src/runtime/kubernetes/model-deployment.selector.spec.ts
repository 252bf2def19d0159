import {
  MODEL_DEPLOYMENT_API_VERSION,
  MODEL_DEPLOYMENT_KIND,
  type ModelDeployment,
  type ModelDeploymentSpec,
} from '@focal/contracts';
import { modelDeploymentName, selectModelDeployment } from './model-deployment.selector.js';

function md(
  name: string,
  spec: Partial<ModelDeploymentSpec>,
  readyReplicas = 0,
  metadata: Partial<ModelDeployment['metadata']> = {},
): ModelDeployment {
  return {
    apiVersion: MODEL_DEPLOYMENT_API_VERSION,
    kind: MODEL_DEPLOYMENT_KIND,
    metadata: { name, creationTimestamp: '2026-01-01T00:00:00Z', ...metadata },
    spec: { modelType: 'dinov3', modelId: 'org/model', ...spec },
    status: { readyReplicas },
  };
}

const names = (selection: ReturnType<typeof selectModelDeployment>) => [
  selection.chosen?.metadata.name,
  ...selection.others.map((o) => o.metadata.name),
];

describe('modelDeploymentName', () => {
  it('is the hyphenated model type', () => {
    expect(modelDeploymentName('grounding_dino')).toBe('grounding-dino');
    expect(modelDeploymentName('depth_anything')).toBe('depth-anything');
    expect(modelDeploymentName('sam3')).toBe('sam3');
  });
});

describe('selectModelDeployment', () => {
  it('prefers the one named after the type, even with fewer ready pods', () => {
    const all = [md('big', {}, 4), md('dinov3', { replicas: 0 }, 0)];
    expect(names(selectModelDeployment('dinov3', all))).toEqual(['dinov3', 'big']);
  });

  it('otherwise prefers the most ready pods, then the most replicas, then the oldest, then the name', () => {
    const all = [
      md('b-new', { replicas: 2 }, 1, { creationTimestamp: '2026-02-01T00:00:00Z' }),
      md('z-old', { replicas: 2 }, 1),
      md('a-old', { replicas: 2 }, 1),
      md('more-replicas', { replicas: 3 }, 1),
      md('most-ready', { replicas: 1 }, 2),
    ];
    expect(names(selectModelDeployment('dinov3', all))).toEqual([
      'most-ready',
      'more-replicas',
      'a-old',
      'z-old',
      'b-new',
    ]);
  });

  it('counts only ModelDeployments of the type that are not being deleted', () => {
    const all = [
      md('dinov3', { modelType: 'sam3' }, 1),
      md('going', {}, 5, { deletionTimestamp: '2026-01-02T00:00:00Z' }),
      md('mine', {}, 0),
    ];
    expect(names(selectModelDeployment('dinov3', all))).toEqual(['mine']);
    expect(selectModelDeployment('depth_anything', all)).toEqual({ others: [] });
  });
});
