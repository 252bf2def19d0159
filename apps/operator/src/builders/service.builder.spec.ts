import type { ModelDeployment } from '@focal/contracts';
import { modelDeployment } from './model-deployment.spec-support.js';
import { SPEC_HASH_ANNOTATION } from './model-workload.names.js';
import { buildService } from './service.builder.js';

describe('buildService', () => {
  it.each<[string, ModelDeployment, Record<string, unknown>]>([
    [
      'a model in its namespace',
      modelDeployment(),
      {
        name: 'focal-model-sam3',
        namespace: 'focal',
        selector: { 'app.kubernetes.io/name': 'focal-model', 'app.kubernetes.io/instance': 'sam3' },
        modelTypeLabel: 'sam3',
      },
    ],
    [
      'another model type, name and namespace',
      modelDeployment({ modelType: 'grounding_dino' }, { name: 'gdino', namespace: 'ml' }),
      {
        name: 'focal-model-gdino',
        namespace: 'ml',
        selector: { 'app.kubernetes.io/name': 'focal-model', 'app.kubernetes.io/instance': 'gdino' },
        modelTypeLabel: 'grounding_dino',
      },
    ],
  ])('%s', (_case, md, expected) => {
    const service = buildService(md);
    expect({
      name: service.metadata.name,
      namespace: service.metadata.namespace,
      selector: service.spec?.selector,
      modelTypeLabel: service.metadata.labels?.['focal.dev/model-type'],
    }).toEqual(expected);
  });

  it('is a ClusterIP on port 8080 named http, owned by the ModelDeployment', () => {
    const service = buildService(modelDeployment());
    expect(service.spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'focal-model', 'app.kubernetes.io/instance': 'sam3' },
      ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }],
    });
    expect(service.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'ModelDeployment', name: 'sam3', controller: true, blockOwnerDeletion: true }),
    ]);
    expect(service.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('focal-operator');
  });

  it('does not change its hash when only the pods change (replicas, device)', () => {
    const hash = (md: ModelDeployment) => buildService(md).metadata.annotations?.[SPEC_HASH_ANNOTATION];
    expect(hash(modelDeployment({ replicas: 0, device: 'cpu' }))).toBe(hash(modelDeployment()));
    expect(hash(modelDeployment({ modelType: 'dinov3' }))).not.toBe(hash(modelDeployment()));
  });
});
