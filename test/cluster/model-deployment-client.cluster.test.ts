import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { Logger } from '@nestjs/common';
import {
  MODEL_DEPLOYMENT_API_VERSION,
  MODEL_DEPLOYMENT_KIND,
  type ModelDeployment,
  type ModelDeploymentSpec,
} from '@focal/contracts';
import { freePort } from '@focal/testing';
import { CustomObjectsModelDeploymentClient } from '../../apps/api/src/runtime/kubernetes/custom-objects.model-deployment.client.js';
import { ModelDeploymentApiError } from '../../apps/api/src/runtime/kubernetes/model-deployment-api.error.js';
import { ModelDeploymentCache } from '../../apps/api/src/runtime/kubernetes/model-deployment.cache.js';
import { AuditLog, type AuditEvent } from './support/audit-log.js';
import {
  REPO,
  clusterEnv,
  deleteNamespace,
  freshNamespace,
  kubectl,
  modelDeploymentManifest,
  until,
} from './support/local-cluster.js';

const MODEL_ID = 'onnx-community/dinov3-vits16-pretrain-lvd1689m-ONNX';

async function failure(call: Promise<unknown>): Promise<ModelDeploymentApiError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ModelDeploymentApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Requests the API's client made (client-node's user agent), as opposed to the test's own kubectl. */
const byClient = (events: AuditEvent[]) => events.filter((e) => !e.userAgent?.startsWith('kubectl'));

/**
 * The API's ModelDeployment client (client-node's CustomObjectsApi) and its watch-fed cache against the real
 * kube-apiserver: the CRD's validation, the server's own errors, a real watch. (The fake API server keeps the cases
 * only it produces on demand: a watch the server ends at once, 410 Gone, a failing list.)
 */
describe('the API ModelDeployment client and cache on the real API server', () => {
  let ns: string;
  let client: CustomObjectsModelDeploymentClient;
  let cache: ModelDeploymentCache | undefined;
  const audit = new AuditLog();
  const body = (name: string, spec: Partial<ModelDeploymentSpec> = {}): ModelDeployment => ({
    apiVersion: MODEL_DEPLOYMENT_API_VERSION,
    kind: MODEL_DEPLOYMENT_KIND,
    metadata: { name, namespace: ns },
    spec: { modelType: 'dinov3', modelId: MODEL_ID, device: 'cpu', ...spec },
  });

  beforeAll(async () => {
    Logger.overrideLogger(false);
    await kubectl(['apply', '--server-side', '--force-conflicts', '-f', path.join(REPO, 'crds')]);
    ns = await freshNamespace('mdclient');
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(readFileSync(clusterEnv().kubeconfig, 'utf8'));
    client = new CustomObjectsModelDeploymentClient(kubeConfig, ns);
  });
  afterEach(() => cache?.stop());
  afterAll(async () => {
    if (ns) await deleteNamespace(ns);
  });

  it('creates, reads and merge-patches only the spec fields it names', async () => {
    const created = await client.create(body('dinov3', { replicas: 2, batching: { maxBatchSize: 4 } }));
    expect(created.metadata).toMatchObject({ name: 'dinov3', namespace: ns, generation: 1 });
    // The CRD's defaults are the server's: maxDelayMs was not sent.
    expect(created.spec).toMatchObject({ replicas: 2, batching: { maxBatchSize: 4, maxDelayMs: 0 } });
    const patched = await client.patchSpec('dinov3', { replicas: 0 });
    expect(patched.spec).toMatchObject({ replicas: 0, modelId: MODEL_ID, batching: { maxBatchSize: 4 } });
    expect(patched.metadata.generation).toBe(2);
    expect((await client.get('dinov3'))?.spec.replicas).toBe(0);
    expect(await client.get('absent')).toBeUndefined();
  });

  it("reports the server's failures with their HTTP status, Status reason and message", async () => {
    await client.create(body('taken'));
    expect(await failure(client.create(body('taken')))).toMatchObject({ status: 409, reason: 'AlreadyExists' });
    const invalid = await failure(client.create(body('bad', { modelId: 'not a repo id' })));
    expect(invalid).toMatchObject({ status: 422, reason: 'Invalid' });
    expect(invalid.message).toContain('spec.modelId');
    expect(await failure(client.patchSpec('absent', { replicas: 1 }))).toMatchObject({ status: 404 });
    // No server at all (a closed loopback port): status 0, not a hang.
    const nowhere = new KubeConfig();
    nowhere.loadFromOptions({
      clusters: [{ name: 'c', server: `https://127.0.0.1:${await freePort()}`, skipTLSVerify: true }],
      users: [{ name: 'u', token: 'x' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    expect(await failure(new CustomObjectsModelDeploymentClient(nowhere, ns).list())).toMatchObject({ status: 0 });
  });

  it('keeps the cache current from one list and a watch, including deletions', async () => {
    await kubectl(['delete', 'modeldeployments', '--all', '-n', ns, '--wait=true']);
    await kubectl(['create', '-n', ns, '-f', '-'], modelDeploymentManifest('a', { ...body('a').spec }));
    const mark = audit.mark();
    const watched = new ModelDeploymentCache(client, 50);
    cache = watched;
    await watched.start();
    expect(watched.isSynced).toBe(true);
    const names = async () =>
      (await watched.list())
        .map((md) => `${md.metadata.name}:${md.spec.replicas}`)
        .sort()
        .join(',');
    expect(await names()).toBe('a:1');
    await kubectl(
      ['create', '-n', ns, '-f', '-'],
      modelDeploymentManifest('b', { ...body('b', { replicas: 0 }).spec }),
    );
    await kubectl(['scale', 'md', 'a', '-n', ns, '--replicas=3']);
    await kubectl(['delete', 'md', 'b', '-n', ns]);
    await until('the watched changes', async () => ((await names()) === 'a:3' ? true : undefined), 10_000);
    const requests = byClient(await audit.since(mark, ns));
    // One list, then only the watch: every change above came through it.
    expect(requests.filter((e) => e.verb === 'list').length).toBe(1);
    expect(requests.filter((e) => e.verb === 'get').length).toBe(0);
    expect(requests.filter((e) => e.verb === 'watch').length).toBeGreaterThanOrEqual(1);
  });
});
