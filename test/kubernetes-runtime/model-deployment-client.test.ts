import { KubeConfig } from '@kubernetes/client-node';
import { Logger } from '@nestjs/common';
import {
  MODEL_DEPLOYMENT_API_VERSION,
  MODEL_DEPLOYMENT_KIND,
  type ModelDeployment,
  type ModelDeploymentSpec,
} from '@focal/contracts';
import { FAKE_KUBE_RESOURCES, FakeKubeApiServer, type KubeObject } from '@focal/testing';
import { CustomObjectsModelDeploymentClient } from '../../apps/api/src/runtime/kubernetes/custom-objects.model-deployment.client.js';
import { ModelDeploymentCache } from '../../apps/api/src/runtime/kubernetes/model-deployment.cache.js';

const NS = 'focal-models';
const MDS = FAKE_KUBE_RESOURCES.modelDeployments;
const PATH = `/apis/focal.dev/v1alpha1/namespaces/${NS}/modeldeployments`;
const MODEL_ID = 'onnx-community/dinov3-vits16-pretrain-lvd1689m-ONNX';

function body(name: string, spec: Partial<ModelDeploymentSpec> = {}): ModelDeployment {
  return {
    apiVersion: MODEL_DEPLOYMENT_API_VERSION,
    kind: MODEL_DEPLOYMENT_KIND,
    metadata: { name, namespace: NS },
    spec: { modelType: 'dinov3', modelId: MODEL_ID, device: 'cpu', ...spec },
  };
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The real client-node adapter and the watch-fed cache, against the fake API server, for what only it does on demand:
 * end a watch at once, answer 410 Gone, fail a list (the plain cases run on the real one:
 * test/cluster/model-deployment-client.cluster.test.ts).
 */
describe('CustomObjectsModelDeploymentClient and ModelDeploymentCache against the fake API server', () => {
  let server: FakeKubeApiServer;
  let client: CustomObjectsModelDeploymentClient;
  let cache: ModelDeploymentCache;
  const names = async () =>
    (await cache.list())
      .map((md) => `${md.metadata.name}:${md.spec.replicas}`)
      .sort()
      .join(',');
  const lists = () =>
    server.requests().filter((r) => r.method === 'GET' && r.path === PATH && !r.query.includes('watch'));

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    server = new FakeKubeApiServer({ namespace: NS });
    await server.start();
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(server.kubeConfigYaml());
    client = new CustomObjectsModelDeploymentClient(kubeConfig, NS);
    cache = new ModelDeploymentCache(client, 50);
  });

  afterEach(async () => {
    cache.stop();
    await server.stop();
  });

  it('resumes after the server ends the watch, without listing again', async () => {
    await cache.start();
    server.closeWatches();
    await eventually(
      async () => (server.requests().filter((r) => r.query.includes('watch')).length === 2 ? true : undefined),
      'a second watch',
    );
    server.create(MDS, body('late') as unknown as KubeObject);
    await eventually(
      async () => ((await names()) === 'late:1' ? true : undefined),
      'the object created after the resume',
    );
    expect(lists()).toHaveLength(1);
  });

  it('lists again after 410 Gone, and catches up with what it missed while disconnected', async () => {
    server.create(MDS, body('a') as unknown as KubeObject);
    server.create(MDS, body('b') as unknown as KubeObject);
    await cache.start();
    server.pauseWatches();
    server.delete(MDS, NS, 'a');
    server.create(MDS, body('c') as unknown as KubeObject);
    server.compactHistory();
    server.resumeWatches();
    await eventually(async () => ((await names()) === 'b:1,c:1' ? true : undefined), 'the relist');
    expect(lists()).toHaveLength(2);
  });

  it('reads through to the API server while it cannot list, and syncs once the server answers', async () => {
    server.failNext({ method: 'GET', path: PATH, code: 500 });
    // Retrying later than the reads below, so they must have gone to the server: the cache is empty.
    cache = new ModelDeploymentCache(client, 300);
    await cache.start();
    expect(cache.isSynced).toBe(false);
    server.create(MDS, body('a') as unknown as KubeObject);
    expect(await names()).toBe('a:1');
    await eventually(async () => (cache.isSynced ? true : undefined), 'the retried list');
    expect(lists()).toHaveLength(3);
  });
});
