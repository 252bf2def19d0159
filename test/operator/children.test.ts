import { FakeKubeApiServer } from '@focal/testing';
import {
  createMd,
  eventsFor,
  eventually,
  getDeployment,
  getService,
  NS,
  phaseOf,
  startOperator,
  type RunningOperator,
} from './support/operator.harness.js';

let server: FakeKubeApiServer;
let operator: RunningOperator | undefined;

beforeEach(async () => {
  server = new FakeKubeApiServer();
  await server.start();
});

afterEach(async () => {
  await operator?.stop();
  operator = undefined;
  await server.stop();
});

function container(deployment: any, name: string): any {
  const pod = deployment.spec.template.spec;
  return [...(pod.initContainers ?? []), ...pod.containers].find((c: any) => c.name === name);
}

function envOf(c: any): Record<string, unknown> {
  return Object.fromEntries((c?.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));
}

describe('operator: children of a cuda ModelDeployment (the local cluster runs cpu ones: test/cluster)', () => {
  it('creates a Deployment and a Service for a cuda model, owned by it, with the spec hash and the GPU bits', async () => {
    operator = await startOperator(server);
    const md = createMd(server, 'sam3', {
      modelType: 'sam3',
      modelId: 'org/sam3-onnx',
      device: 'cuda',
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'ml', effect: 'NoSchedule' }],
      nodeSelector: { pool: 'a100' },
      resources: { requests: { cpu: '2', memory: '8Gi' }, limits: { memory: '8Gi' } },
    });
    const deployment = await eventually(() => getDeployment(server, 'sam3'), 'the Deployment');
    const service = await eventually(() => getService(server, 'sam3'), 'the Service');

    const owner = {
      apiVersion: 'focal.dev/v1alpha1',
      kind: 'ModelDeployment',
      name: 'sam3',
      uid: md.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    };
    for (const child of [deployment, service]) {
      expect(child.metadata.ownerReferences).toEqual([owner]);
      expect(child.metadata.annotations['focal.dev/spec-hash']).toMatch(/^[0-9a-f]{16}$/);
      expect(child.metadata.labels).toMatchObject({
        'app.kubernetes.io/name': 'focal-model',
        'app.kubernetes.io/instance': 'sam3',
        'app.kubernetes.io/managed-by': 'focal-operator',
        'focal.dev/model-type': 'sam3',
      });
    }

    const pod = deployment.spec.template.spec;
    const inference = container(deployment, 'inference');
    expect(inference.image).toBe('focal/inference-cuda:test');
    expect(inference.resources).toEqual({
      requests: { cpu: '2', memory: '8Gi' },
      limits: { memory: '8Gi', 'nvidia.com/gpu': 1 },
    });
    expect(pod.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true', pool: 'a100' });
    expect(pod.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'dedicated', operator: 'Equal', value: 'ml', effect: 'NoSchedule' },
    ]);
    expect(pod.runtimeClassName).toBe('nvidia');
    expect(pod.enableServiceLinks).toBe(false);
    expect(envOf(container(deployment, 'fetch-model'))).toMatchObject({
      FOCAL_PREFETCH_ONLY: 'true',
      FOCAL_MODEL_ID: 'org/sam3-onnx',
      HF_TOKEN: { secretKeyRef: { name: 'focal-hf-token', key: 'hf-token', optional: true } },
    });
    expect(envOf(inference)).toMatchObject({
      FOCAL_DEVICE: 'cuda',
      HF_HUB_OFFLINE: 'true',
      FOCAL_INFERENCE_PORT: '8080',
    });

    expect(service.spec).toMatchObject({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'focal-model', 'app.kubernetes.io/instance': 'sam3' },
      ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }],
    });
    expect(service.spec.clusterIP).toMatch(/^10\.96\./);

    const pending = await phaseOf(server, 'sam3', 'Pending');
    expect(pending.status?.endpoint).toBe('http://focal-model-sam3.focal.svc:8080');
    await eventually(() => (eventsFor(server, 'sam3').length >= 3 ? true : undefined), 'the events');
    expect(eventsFor(server, 'sam3').map((e) => e.reason)).toEqual(
      expect.arrayContaining(['CreatedDeployment', 'CreatedService', 'ModelPending']),
    );
    expect(eventsFor(server, 'sam3')[0]).toMatchObject({
      type: 'Normal',
      involvedObject: { kind: 'ModelDeployment', name: 'sam3', namespace: NS, uid: md.metadata.uid },
      source: { component: 'focal-operator' },
    });
  });
});
