import {
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  type KubernetesObject,
  type V1Deployment,
  type V1OwnerReference,
} from '@kubernetes/client-node';
import {
  MODEL_DEPLOYMENT_API_VERSION,
  MODEL_DEPLOYMENT_GROUP,
  MODEL_DEPLOYMENT_KIND,
  MODEL_DEPLOYMENT_PLURAL,
  MODEL_DEPLOYMENT_VERSION,
  type ModelDeployment,
} from '../../libs/contracts/src/kubernetes/index.js';
import { FakeKubeApiServer, FAKE_KUBE_RESOURCES } from '../../libs/testing/src/fake-kube/index.js';
import { apiError } from './support/api-error.js';
import { eventually } from './support/eventually.js';
import { WatchRecorder } from './support/watch-recorder.js';

/**
 * client-node 1.x sends every PATCH as `application/json-patch+json` (the first type its generated
 * code lists), so a merge-patch body must come with this per-call option, which swaps the
 * Content-Type header through a middleware:
 *   api.patchNamespacedCustomObject(params, setHeaderOptions('Content-Type', PatchStrategy.MergePatch))
 * Without it the server reads the object as a JSON patch and answers 400 (see the test below).
 */
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const strategicMergePatch = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

const NS = 'focal';
const MD = { group: MODEL_DEPLOYMENT_GROUP, version: MODEL_DEPLOYMENT_VERSION, plural: MODEL_DEPLOYMENT_PLURAL };
const MD_PATH = `/apis/${MODEL_DEPLOYMENT_GROUP}/${MODEL_DEPLOYMENT_VERSION}/namespaces/${NS}/${MODEL_DEPLOYMENT_PLURAL}`;

let server: FakeKubeApiServer;
let kc: KubeConfig;
let core: CoreV1Api;
let apps: AppsV1Api;
let custom: CustomObjectsApi;
let coordination: CoordinationV1Api;
const cleanups: Array<() => unknown> = [];

beforeEach(async () => {
  server = new FakeKubeApiServer();
  await server.start();
  kc = new KubeConfig();
  kc.loadFromOptions(server.kubeConfig());
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
  custom = kc.makeApiClient(CustomObjectsApi);
  coordination = kc.makeApiClient(CoordinationV1Api);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await server.stop();
});

function modelDeployment(name: string, labels: Record<string, string> = {}): ModelDeployment {
  return {
    apiVersion: MODEL_DEPLOYMENT_API_VERSION,
    kind: MODEL_DEPLOYMENT_KIND,
    metadata: { name, labels },
    spec: { modelType: 'dinov3', modelId: 'onnx-community/dinov3-vits16-pretrain-lvd1689m-ONNX', device: 'cpu' },
  };
}

async function createMd(name: string, labels: Record<string, string> = {}): Promise<ModelDeployment> {
  return (await custom.createNamespacedCustomObject({
    ...MD,
    namespace: NS,
    body: modelDeployment(name, labels),
  })) as ModelDeployment;
}

async function getMd(name: string): Promise<ModelDeployment> {
  return (await custom.getNamespacedCustomObject({ ...MD, namespace: NS, name })) as ModelDeployment;
}

function deployment(name: string, owners: V1OwnerReference[] = []): V1Deployment {
  const labels = { app: name };
  return {
    metadata: { name, labels, ownerReferences: owners },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'inference', image: 'focal/inference:1.0' }] } },
    },
  };
}

function ownerOf(object: KubernetesObject): V1OwnerReference {
  const { name = '', uid = '' } = object.metadata ?? {};
  return {
    apiVersion: object.apiVersion ?? '',
    kind: object.kind ?? '',
    name,
    uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

describe('FakeKubeApiServer: connecting with client-node', () => {
  it('serves a client configured from the kubeconfig YAML over plain HTTP with skipTLSVerify', async () => {
    const fromYaml = new KubeConfig();
    fromYaml.loadFromString(server.kubeConfigYaml());
    expect(fromYaml.getCurrentCluster()).toMatchObject({ server: server.url, skipTLSVerify: true });
    const list = await fromYaml.makeApiClient(CoreV1Api).listNamespacedService({ namespace: NS });
    expect(list.items).toEqual([]);
    expect(Number(list.metadata?.resourceVersion)).toBe(server.resourceVersion);
  });

  it('refuses a request without the bearer token with a 401 Status', async () => {
    const response = await fetch(`${server.url}/api/v1/namespaces/${NS}/services`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Unauthorized',
      code: 401,
    });
  });

  it('records which client made a call when its kubeconfig names one, and still refuses a wrong token', async () => {
    server.clearRequests();
    const named = new KubeConfig();
    named.loadFromOptions(server.kubeConfig('tester'));
    await named.makeApiClient(CoreV1Api).listNamespacedService({ namespace: NS });
    await kc.makeApiClient(CoreV1Api).listNamespacedService({ namespace: NS });
    const services = `/api/v1/namespaces/${NS}/services`;
    expect(server.requests().map((r) => [r.path, r.client])).toEqual([
      [services, 'tester'],
      [services, undefined],
    ]);
    const wrong = await fetch(`${server.url}${services}`, { headers: { Authorization: 'Bearer other-token.tester' } });
    expect(wrong.status).toBe(401);
  });

  it('publishes discovery, so KubernetesObjectApi can resolve ModelDeployment to its plural', async () => {
    await createMd('dino');
    const client = KubernetesObjectApi.makeApiClient(kc);
    const read = await client.read({
      apiVersion: MODEL_DEPLOYMENT_API_VERSION,
      kind: MODEL_DEPLOYMENT_KIND,
      metadata: { name: 'dino', namespace: NS },
    });
    expect(read.metadata?.uid).toBeDefined();
    const resources = (await (await fetch(`${server.url}/apis/focal.dev/v1alpha1`, authorized())).json()) as {
      resources: Array<{ name: string }>;
    };
    expect(resources.resources.map((r) => r.name)).toEqual([
      'modeldeployments',
      'modeldeployments/status',
      'modeldeployments/scale',
    ]);
  });

  it('prints the CRD printer columns as a Table, as kubectl get asks', async () => {
    await createMd('dino');
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const response = await fetch(`${server.url}${MD_PATH}`, authorized({ headers: { Accept: accept } }));
    const table = (await response.json()) as {
      kind: string;
      columnDefinitions: Array<{ name: string }>;
      rows: Array<{ cells: unknown[] }>;
    };
    expect(table.kind).toBe('Table');
    const columns = table.columnDefinitions.map((c) => c.name);
    expect(columns).toEqual(['Name', 'Type', 'Device', 'Replicas', 'Ready', 'Phase', 'Age', 'Model', 'Endpoint']);
    const modelId = 'onnx-community/dinov3-vits16-pretrain-lvd1689m-ONNX';
    expect(table.rows[0]?.cells).toEqual([
      'dino',
      'dinov3',
      'cpu',
      1,
      null,
      null,
      expect.stringMatching(/^\d+s$/),
      modelId,
      null,
    ]);
  });
});

function authorized(init: RequestInit = {}): RequestInit {
  return { ...init, headers: { ...(init.headers as Record<string, string>), Authorization: 'Bearer fake-token' } };
}

describe('FakeKubeApiServer: CRUD', () => {
  it('creates a ModelDeployment with uid, resourceVersion, creationTimestamp, generation 1 and schema defaults', async () => {
    const before = server.resourceVersion;
    const response = await custom.createNamespacedCustomObjectWithHttpInfo({
      ...MD,
      namespace: NS,
      body: modelDeployment('dino'),
    });
    expect(response.httpStatusCode).toBe(201);
    const created = response.data as ModelDeployment;
    expect(created.metadata).toMatchObject({ name: 'dino', namespace: NS, generation: 1 });
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(created.metadata.resourceVersion)).toBe(before + 1);
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(created.spec).toMatchObject({ replicas: 1, batching: { maxBatchSize: 1, maxDelayMs: 0 } });
    expect(await getMd('dino')).toEqual(created);
  });

  it('answers 409 AlreadyExists and 404 NotFound with Status objects', async () => {
    await createMd('dino');
    const exists = await apiError(createMd('dino'));
    expect(exists).toMatchObject({
      code: 409,
      status: {
        kind: 'Status',
        reason: 'AlreadyExists',
        details: { name: 'dino', group: 'focal.dev', kind: 'modeldeployments' },
      },
    });
    const missing = await apiError(getMd('nope'));
    expect(missing).toMatchObject({
      code: 404,
      status: { reason: 'NotFound', message: 'modeldeployments.focal.dev "nope" not found' },
    });
  });

  it('answers 422 Invalid for a ModelDeployment the CRD schema rejects', async () => {
    const body = { ...modelDeployment('bad'), spec: { ...modelDeployment('bad').spec, replicas: -1 } };
    const { code, status } = await apiError(custom.createNamespacedCustomObject({ ...MD, namespace: NS, body }));
    expect(code).toBe(422);
    expect(status.reason).toBe('Invalid');
    expect(status.details?.causes?.map((c) => c.field)).toEqual(['spec.replicas']);
  });

  it('lists by namespace, by equality and set-based label selectors, and across namespaces', async () => {
    await createMd('a', { tier: 'gpu' });
    await createMd('b', { tier: 'cpu' });
    server.create(FAKE_KUBE_RESOURCES.modelDeployments, {
      ...modelDeployment('c', { tier: 'gpu' }),
      metadata: { name: 'c', namespace: 'other', labels: { tier: 'gpu' } },
    });
    const names = (list: { items: ModelDeployment[] }) => list.items.map((i) => i.metadata.name);
    expect(names(await custom.listNamespacedCustomObject({ ...MD, namespace: NS }))).toEqual(['a', 'b']);
    expect(names(await custom.listNamespacedCustomObject({ ...MD, namespace: NS, labelSelector: 'tier=gpu' }))).toEqual(
      ['a'],
    );
    expect(
      names(await custom.listNamespacedCustomObject({ ...MD, namespace: NS, labelSelector: 'tier notin (gpu)' })),
    ).toEqual(['b']);
    const all = await custom.listClusterCustomObject({ ...MD, labelSelector: 'tier==gpu' });
    expect(names(all)).toEqual(['a', 'c']);
    expect(all).toMatchObject({
      kind: 'ModelDeploymentList',
      metadata: { resourceVersion: String(server.resourceVersion) },
    });
  });

  it('serves core and apps resources: Services get a ClusterIP, Deployments server-side defaults', async () => {
    const service = await core.createNamespacedService({
      namespace: NS,
      body: { metadata: { name: 'focal-model-dino' }, spec: { selector: { app: 'dino' }, ports: [{ port: 8080 }] } },
    });
    expect(service.spec?.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(service.spec?.ports?.[0]).toMatchObject({ protocol: 'TCP', targetPort: 8080 });
    const created = await apps.createNamespacedDeployment({ namespace: NS, body: deployment('dino') });
    expect(created.spec).toMatchObject({ replicas: 1, revisionHistoryLimit: 10, strategy: { type: 'RollingUpdate' } });
    expect(created.spec?.template.spec?.containers[0]?.imagePullPolicy).toBe('IfNotPresent');
    const listed = await apps.listNamespacedDeployment({ namespace: NS, labelSelector: 'app=dino' });
    expect(listed.items.map((d) => d.metadata?.name)).toEqual(['dino']);
  });

  it('rejects what the real API server rejects: a selector that misses the template, a model id as label value', async () => {
    const body = deployment('dino');
    body.spec!.template.metadata!.labels = { app: 'other' };
    expect((await apiError(apps.createNamespacedDeployment({ namespace: NS, body }))).status.reason).toBe('Invalid');
    const labelled = {
      metadata: { name: 'svc', labels: { model: 'onnx-community/dinov3' } },
      spec: { ports: [{ port: 80 }] },
    };
    expect((await apiError(core.createNamespacedService({ namespace: NS, body: labelled }))).code).toBe(422);
  });

  it('stores secrets, events (found by field selector) and leases', async () => {
    await core.createNamespacedSecret({
      namespace: NS,
      body: { metadata: { name: 'hf' }, data: { HF_TOKEN: Buffer.from('t').toString('base64') } },
    });
    expect((await core.readNamespacedSecret({ name: 'hf', namespace: NS })).data?.HF_TOKEN).toBe('dA==');
    const event = {
      metadata: { name: 'dino.1' },
      involvedObject: { kind: 'ModelDeployment', name: 'dino', namespace: NS },
      reason: 'Loaded',
      message: 'ok',
      type: 'Normal',
    };
    await core.createNamespacedEvent({ namespace: NS, body: event });
    const events = await core.listNamespacedEvent({ namespace: NS, fieldSelector: 'involvedObject.name=dino' });
    expect(events.items.map((e) => e.reason)).toEqual(['Loaded']);
    const lease = await coordination.createNamespacedLease({
      namespace: NS,
      body: { metadata: { name: 'focal-operator' }, spec: { holderIdentity: 'pod-a', leaseDurationSeconds: 15 } },
    });
    expect(lease.spec?.holderIdentity).toBe('pod-a');
  });

  it('deletes: a custom resource answers with the object, a Deployment with a Success Status', async () => {
    await createMd('dino');
    const deleted = (await custom.deleteNamespacedCustomObject({
      ...MD,
      namespace: NS,
      name: 'dino',
    })) as ModelDeployment;
    expect(deleted.metadata.name).toBe('dino');
    expect((await apiError(getMd('dino'))).code).toBe(404);
    await apps.createNamespacedDeployment({ namespace: NS, body: deployment('web') });
    const status = await apps.deleteNamespacedDeployment({ name: 'web', namespace: NS });
    expect(status).toMatchObject({ status: 'Success', details: { name: 'web', kind: 'deployments' } });
  });
});

describe('FakeKubeApiServer: updates and optimistic concurrency', () => {
  it('answers a stale update with 409 Conflict, as leader election and controllers expect', async () => {
    const lease = await coordination.createNamespacedLease({
      namespace: NS,
      body: { metadata: { name: 'leader' }, spec: { holderIdentity: 'a' } },
    });
    await coordination.replaceNamespacedLease({
      name: 'leader',
      namespace: NS,
      body: { ...lease, spec: { holderIdentity: 'a', leaseDurationSeconds: 15 } },
    });
    const stale = coordination.replaceNamespacedLease({
      name: 'leader',
      namespace: NS,
      body: { ...lease, spec: { holderIdentity: 'b' } },
    });
    const { code, status } = await apiError(stale);
    expect(code).toBe(409);
    expect(status).toMatchObject({
      reason: 'Conflict',
      message: expect.stringContaining('the object has been modified'),
    });
    const md = await createMd('dino');
    await custom.replaceNamespacedCustomObject({
      ...MD,
      namespace: NS,
      name: 'dino',
      body: { ...md, metadata: { ...md.metadata, labels: { a: 'b' } } },
    });
    expect(
      (await apiError(custom.replaceNamespacedCustomObject({ ...MD, namespace: NS, name: 'dino', body: md }))).code,
    ).toBe(409);
  });

  it('requires metadata.resourceVersion to update a custom resource', async () => {
    const md = await createMd('dino');
    const { resourceVersion: _rv, ...metadata } = md.metadata;
    const { code } = await apiError(
      custom.replaceNamespacedCustomObject({ ...MD, namespace: NS, name: 'dino', body: { ...md, metadata } }),
    );
    expect(code).toBe(422);
  });

  it('bumps generation only when the spec changes, and treats an unchanged write as no write', async () => {
    const created = await apps.createNamespacedDeployment({ namespace: NS, body: deployment('web') });
    const relabelled = await apps.replaceNamespacedDeployment({
      name: 'web',
      namespace: NS,
      body: { ...created, metadata: { ...created.metadata, labels: { app: 'web', x: 'y' } } },
    });
    expect(relabelled.metadata?.generation).toBe(1);
    expect(relabelled.metadata?.resourceVersion).not.toBe(created.metadata?.resourceVersion);
    const scaled = await apps.replaceNamespacedDeployment({
      name: 'web',
      namespace: NS,
      body: { ...relabelled, spec: { ...relabelled.spec!, replicas: 3 } },
    });
    expect(scaled.metadata?.generation).toBe(2);
    const again = await apps.replaceNamespacedDeployment({ name: 'web', namespace: NS, body: scaled });
    expect(again.metadata?.resourceVersion).toBe(scaled.metadata?.resourceVersion);
  });

  it('merge-patches with the merge-patch Content-Type set through setHeaderOptions', async () => {
    await createMd('dino');
    const body = { spec: { replicas: 0, batching: { maxBatchSize: 4 } }, metadata: { labels: { loaded: 'false' } } };
    const patched = (await custom.patchNamespacedCustomObject(
      { ...MD, namespace: NS, name: 'dino', body },
      mergePatch,
    )) as ModelDeployment;
    expect(patched.spec).toMatchObject({ replicas: 0, device: 'cpu', batching: { maxBatchSize: 4, maxDelayMs: 0 } });
    expect(patched.metadata).toMatchObject({ generation: 2, labels: { loaded: 'false' } });
    expect(server.requests().at(-1)).toMatchObject({ method: 'PATCH', contentType: 'application/merge-patch+json' });
  });

  it('applies JSON patches, which client-node sends by default, and rejects an object sent as one', async () => {
    await createMd('dino');
    const ops = [
      { op: 'test', path: '/spec/replicas', value: 1 },
      { op: 'replace', path: '/spec/replicas', value: 2 },
    ];
    const patched = (await custom.patchNamespacedCustomObject({
      ...MD,
      namespace: NS,
      name: 'dino',
      body: ops,
    })) as ModelDeployment;
    expect(patched.spec.replicas).toBe(2);
    const withoutHeader = await apiError(
      custom.patchNamespacedCustomObject({ ...MD, namespace: NS, name: 'dino', body: { spec: { replicas: 0 } } }),
    );
    expect(withoutHeader.code).toBe(400);
    const failedTest = await apiError(
      custom.patchNamespacedCustomObject({ ...MD, namespace: NS, name: 'dino', body: ops }),
    );
    expect(failedTest.code).toBe(422);
  });

  it('treats a strategic merge patch as a merge patch and answers 415 to server-side apply', async () => {
    await apps.createNamespacedDeployment({ namespace: NS, body: deployment('web') });
    const body = { metadata: { annotations: { 'focal.dev/spec-hash': 'abc' } }, spec: { replicas: 2 } };
    const patched = await apps.patchNamespacedDeployment({ name: 'web', namespace: NS, body }, strategicMergePatch);
    expect(patched.metadata?.annotations).toEqual({ 'focal.dev/spec-hash': 'abc' });
    expect(patched.spec?.replicas).toBe(2);
    const apply = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);
    expect((await apiError(apps.patchNamespacedDeployment({ name: 'web', namespace: NS, body }, apply))).code).toBe(
      415,
    );
  });

  it('answers an injected fault once, then serves the retry', async () => {
    await createMd('dino');
    server.failNext({ method: 'GET', path: '/modeldeployments/dino', code: 500 });
    expect((await apiError(getMd('dino'))).code).toBe(500);
    expect((await getMd('dino')).metadata.name).toBe('dino');
  });
});

describe('FakeKubeApiServer: status and scale subresources', () => {
  it('drops status on create, and main-resource writes never change status', async () => {
    const body = { ...modelDeployment('dino'), status: { phase: 'Ready' } };
    const created = (await custom.createNamespacedCustomObject({ ...MD, namespace: NS, body })) as ModelDeployment;
    expect(created.status).toBeUndefined();
    const replaced = (await custom.replaceNamespacedCustomObject({
      ...MD,
      namespace: NS,
      name: 'dino',
      body: { ...created, status: { phase: 'Ready' } },
    })) as ModelDeployment;
    expect(replaced.status).toBeUndefined();
  });

  it('writes only status through /status, without touching spec or generation', async () => {
    const md = await createMd('dino');
    const body = {
      ...md,
      spec: { ...md.spec, replicas: 7 },
      status: { phase: 'Loading', replicas: 1, readyReplicas: 0 },
    };
    const written = (await custom.replaceNamespacedCustomObjectStatus({
      ...MD,
      namespace: NS,
      name: 'dino',
      body,
    })) as ModelDeployment;
    expect(written.status).toEqual({ phase: 'Loading', replicas: 1, readyReplicas: 0 });
    expect(written.spec.replicas).toBe(1);
    expect(written.metadata.generation).toBe(1);
    const patch = { status: { phase: 'Ready', readyReplicas: 1, observedGeneration: 1 } };
    const patched = (await custom.patchNamespacedCustomObjectStatus(
      { ...MD, namespace: NS, name: 'dino', body: patch },
      mergePatch,
    )) as ModelDeployment;
    expect(patched.status).toEqual({ phase: 'Ready', replicas: 1, readyReplicas: 1, observedGeneration: 1 });
    const invalid = await apiError(
      custom.patchNamespacedCustomObjectStatus(
        { ...MD, namespace: NS, name: 'dino', body: { status: { phase: 'Running' } } },
        mergePatch,
      ),
    );
    expect(invalid.status.details?.causes?.[0]?.field).toBe('status.phase');
  });

  it('reads and writes replicas of a ModelDeployment through /scale (what kubectl scale md does)', async () => {
    await createMd('dino');
    server.setStatus(FAKE_KUBE_RESOURCES.modelDeployments, NS, 'dino', {
      replicas: 1,
      selector: 'focal.dev/model=dino',
    });
    const scale = await custom.getNamespacedCustomObjectScale({ ...MD, namespace: NS, name: 'dino' });
    expect(scale).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 1 },
      status: { replicas: 1, selector: 'focal.dev/model=dino' },
    });
    await custom.patchNamespacedCustomObjectScale(
      { ...MD, namespace: NS, name: 'dino', body: { spec: { replicas: 0 } } },
      mergePatch,
    );
    expect((await getMd('dino')).spec.replicas).toBe(0);
    expect((await getMd('dino')).metadata.generation).toBe(2);
    const stale = { ...scale, spec: { replicas: 3 } };
    expect(
      (await apiError(custom.replaceNamespacedCustomObjectScale({ ...MD, namespace: NS, name: 'dino', body: stale })))
        .code,
    ).toBe(409);
    const negative = { spec: { replicas: -1 } };
    expect(
      (
        await apiError(
          custom.replaceNamespacedCustomObjectScale({ ...MD, namespace: NS, name: 'dino', body: negative }),
        )
      ).code,
    ).toBe(422);
  });

  it('scales a Deployment through /scale and reports its selector', async () => {
    await apps.createNamespacedDeployment({ namespace: NS, body: deployment('web') });
    const scale = await apps.readNamespacedDeploymentScale({ name: 'web', namespace: NS });
    expect(scale.status).toMatchObject({ replicas: 0, selector: 'app=web' });
    await apps.replaceNamespacedDeploymentScale({
      name: 'web',
      namespace: NS,
      body: { metadata: { name: 'web' }, spec: { replicas: 4 } },
    });
    expect((await apps.readNamespacedDeployment({ name: 'web', namespace: NS })).spec?.replicas).toBe(4);
  });

  it('lets tests play the kubelet: set Deployment status, or mark it ready automatically', async () => {
    await apps.createNamespacedDeployment({ namespace: NS, body: deployment('web') });
    server.setDeploymentStatus(NS, 'web', { replicas: 1, readyReplicas: 0 });
    expect((await apps.readNamespacedDeploymentStatus({ name: 'web', namespace: NS })).status).toMatchObject({
      replicas: 1,
      readyReplicas: 0,
    });
    server.autoReadyDeployments(true);
    await apps.patchNamespacedDeploymentScale(
      { name: 'web', namespace: NS, body: { spec: { replicas: 2 } } },
      mergePatch,
    );
    const ready = await eventually(() => {
      const status = server.get(FAKE_KUBE_RESOURCES.deployments, NS, 'web')?.status as
        { readyReplicas?: number } | undefined;
      return status?.readyReplicas === 2 ? status : undefined;
    }, 'readyReplicas 2');
    expect(ready).toMatchObject({ observedGeneration: 2, availableReplicas: 2 });
  });
});

describe('FakeKubeApiServer: watch', () => {
  function recorder(): WatchRecorder {
    const watch = new WatchRecorder(kc);
    cleanups.push(() => watch.stop());
    return watch;
  }

  it('replays events after a resourceVersion in order, then streams live ones', async () => {
    const a = await createMd('a');
    await createMd('b');
    await custom.patchNamespacedCustomObject(
      { ...MD, namespace: NS, name: 'a', body: { spec: { replicas: 0 } } },
      mergePatch,
    );
    await custom.deleteNamespacedCustomObject({ ...MD, namespace: NS, name: 'b' });
    const watch = await recorder().start(MD_PATH, { resourceVersion: a.metadata.resourceVersion ?? '' });
    await createMd('c');
    await eventually(() => (watch.events.length >= 4 ? true : undefined), 'four events');
    expect(watch.summary()).toEqual(['ADDED b', 'MODIFIED a', 'DELETED b', 'ADDED c']);
    const versions = watch.events.map((e) => Number(e.object.metadata?.resourceVersion));
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
    expect(watch.events[0]?.object.kind).toBe('ModelDeployment');
  });

  it('watches every namespace on the cluster-wide path', async () => {
    const clusterPath = `/apis/${MODEL_DEPLOYMENT_GROUP}/${MODEL_DEPLOYMENT_VERSION}/${MODEL_DEPLOYMENT_PLURAL}`;
    const watch = await recorder().start(clusterPath, { resourceVersion: String(server.resourceVersion) });
    await createMd('a');
    server.create(FAKE_KUBE_RESOURCES.modelDeployments, {
      ...modelDeployment('b'),
      metadata: { name: 'b', namespace: 'other' },
    });
    await eventually(() => (watch.events.length >= 2 ? true : undefined), 'two events');
    expect(watch.events.map((e) => `${e.type} ${e.object.metadata?.namespace}`)).toEqual([
      'ADDED focal',
      'ADDED other',
    ]);
  });

  it('starts with ADDED for every object when no resourceVersion is given', async () => {
    await createMd('a');
    const watch = await recorder().start(MD_PATH, {});
    await eventually(() => (watch.events.length >= 1 ? true : undefined), 'initial ADDED');
    expect(watch.summary()).toEqual(['ADDED a']);
  });

  it('turns label selector transitions into ADDED and DELETED', async () => {
    const watch = await recorder().start(MD_PATH, {
      resourceVersion: String(server.resourceVersion),
      labelSelector: 'tier=gpu',
    });
    await createMd('a', { tier: 'gpu' });
    await createMd('b', { tier: 'cpu' });
    const relabel = (tier: string) =>
      custom.patchNamespacedCustomObject(
        { ...MD, namespace: NS, name: 'a', body: { metadata: { labels: { tier } } } },
        mergePatch,
      );
    await relabel('cpu');
    await relabel('gpu');
    await eventually(() => (watch.events.length >= 3 ? true : undefined), 'three events');
    expect(watch.summary()).toEqual(['ADDED a', 'DELETED a', 'ADDED a']);
  });

  it('answers a resourceVersion older than the retained history with an ERROR event carrying a 410 Status', async () => {
    await server.stop();
    server = new FakeKubeApiServer({ historyLimit: 2 });
    await server.start();
    kc.loadFromOptions(server.kubeConfig());
    custom = kc.makeApiClient(CustomObjectsApi);
    const first = await createMd('a');
    for (const replicas of [2, 3, 4]) {
      await custom.patchNamespacedCustomObject(
        { ...MD, namespace: NS, name: 'a', body: { spec: { replicas } } },
        mergePatch,
      );
    }
    const watch = await recorder().start(MD_PATH, { resourceVersion: first.metadata.resourceVersion ?? '' });
    await eventually(() => (watch.ended ? true : undefined), 'the watch to end');
    expect(watch.events).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 }),
      },
    ]);
    const recent = await recorder().start(MD_PATH, { resourceVersion: String(server.resourceVersion - 1) });
    await eventually(() => (recent.events.length > 0 ? true : undefined), 'a replayed event');
    expect(recent.summary()).toEqual(['MODIFIED a']);
  });

  it('sends bookmarks only to watches that allow them', async () => {
    const withBookmarks = await recorder().start(MD_PATH, {
      resourceVersion: String(server.resourceVersion),
      allowWatchBookmarks: 'true',
    });
    const without = await recorder().start(MD_PATH, { resourceVersion: String(server.resourceVersion) });
    await createMd('a');
    await eventually(
      () => (without.events.length === 1 && withBookmarks.events.length === 1 ? true : undefined),
      'ADDED on both',
    );
    server.sendBookmarks();
    await eventually(() => (withBookmarks.events.length === 2 ? true : undefined), 'a bookmark');
    expect(withBookmarks.events[1]).toEqual({
      type: 'BOOKMARK',
      object: {
        kind: 'ModelDeployment',
        apiVersion: 'focal.dev/v1alpha1',
        metadata: { resourceVersion: String(server.resourceVersion) },
      },
    });
    expect(without.summary()).toEqual(['ADDED a']);
  });

  it('ends watches from the server side, which client-node reports as a clean close', async () => {
    const watch = await recorder().start(MD_PATH, { resourceVersion: String(server.resourceVersion) });
    server.closeWatches();
    await eventually(() => (watch.ended ? true : undefined), 'the watch to end');
    expect(watch.endError).toBeNull();
  });
});

describe('FakeKubeApiServer: informers', () => {
  function informer() {
    const listFn = () =>
      custom.listNamespacedCustomObject({ ...MD, namespace: NS }) as Promise<{
        items: ModelDeployment[];
        metadata: { resourceVersion: string };
      }>;
    const inf = makeInformer<ModelDeployment & KubernetesObject>(kc, MD_PATH, listFn as never);
    const seen: string[] = [];
    inf.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
    inf.on('update', (o) => seen.push(`update ${o.metadata?.name}`));
    inf.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`));
    cleanups.push(() => inf.stop());
    return { inf, seen };
  }

  it('receives add, update and delete', async () => {
    await createMd('a');
    const { inf, seen } = informer();
    await inf.start();
    expect(seen).toEqual(['add a']);
    await createMd('b');
    await custom.patchNamespacedCustomObject(
      { ...MD, namespace: NS, name: 'a', body: { spec: { replicas: 0 } } },
      mergePatch,
    );
    await custom.deleteNamespacedCustomObject({ ...MD, namespace: NS, name: 'b' });
    await eventually(() => (seen.length >= 4 ? true : undefined), 'three more events');
    expect(seen).toEqual(['add a', 'add b', 'update a', 'delete b']);
    expect(inf.list(NS).map((o) => o.metadata?.name)).toEqual(['a']);
  });

  it('relists after 410 Gone and catches up with what it missed while disconnected', async () => {
    await createMd('a');
    await createMd('b');
    const { inf, seen } = informer();
    await inf.start();
    server.pauseWatches();
    await custom.deleteNamespacedCustomObject({ ...MD, namespace: NS, name: 'a' });
    await createMd('c');
    server.compactHistory();
    server.resumeWatches();
    await eventually(() => (seen.length >= 4 ? true : undefined), 'the relist');
    expect(seen).toEqual(['add a', 'add b', 'delete a', 'add c']);
    const lists = server
      .requests()
      .filter((r) => r.method === 'GET' && r.path === MD_PATH && !r.query.includes('watch'));
    expect(lists).toHaveLength(2);
    expect(
      inf
        .list(NS)
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(['b', 'c']);
  });
});

describe('FakeKubeApiServer: deletion', () => {
  it('garbage-collects dependents through ownerReferences, cascading, and keeps those with another live owner', async () => {
    const md = await createMd('dino');
    const mdOwner = ownerOf(md as KubernetesObject);
    const dep = await apps.createNamespacedDeployment({
      namespace: NS,
      body: deployment('focal-model-dino', [mdOwner]),
    });
    await core.createNamespacedPod({
      namespace: NS,
      body: {
        metadata: {
          name: 'focal-model-dino-1',
          ownerReferences: [ownerOf({ ...dep, apiVersion: 'apps/v1', kind: 'Deployment' })],
        },
        spec: { containers: [{ name: 'c', image: 'i:1' }] },
      },
    });
    await core.createNamespacedService({
      namespace: NS,
      body: { metadata: { name: 'focal-model-dino', ownerReferences: [mdOwner] }, spec: { ports: [{ port: 8080 }] } },
    });
    const keeper = await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'keeper' } } });
    const keeperOwner = ownerOf({ ...keeper, apiVersion: 'v1', kind: 'ConfigMap' });
    await core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'shared', ownerReferences: [mdOwner, keeperOwner] } },
    });
    const deployments = await new WatchRecorder(kc).start(`/apis/apps/v1/namespaces/${NS}/deployments`, {
      resourceVersion: String(server.resourceVersion),
    });
    cleanups.push(() => deployments.stop());

    await custom.deleteNamespacedCustomObject({ ...MD, namespace: NS, name: 'dino' });

    expect((await apiError(apps.readNamespacedDeployment({ name: 'focal-model-dino', namespace: NS }))).code).toBe(404);
    expect((await apiError(core.readNamespacedService({ name: 'focal-model-dino', namespace: NS }))).code).toBe(404);
    expect((await apiError(core.readNamespacedPod({ name: 'focal-model-dino-1', namespace: NS }))).code).toBe(404);
    const shared = await core.readNamespacedConfigMap({ name: 'shared', namespace: NS });
    expect(shared.metadata?.ownerReferences?.map((r) => r.name)).toEqual(['keeper']);
    await eventually(() => (deployments.events.length > 0 ? true : undefined), 'the Deployment DELETED event');
    expect(deployments.summary()).toEqual(['DELETED focal-model-dino']);
  });

  it('orphans dependents with propagationPolicy Orphan', async () => {
    const md = await createMd('dino');
    await apps.createNamespacedDeployment({
      namespace: NS,
      body: deployment('focal-model-dino', [ownerOf(md as KubernetesObject)]),
    });
    await custom.deleteNamespacedCustomObject({ ...MD, namespace: NS, name: 'dino', propagationPolicy: 'Orphan' });
    const orphan = await apps.readNamespacedDeployment({ name: 'focal-model-dino', namespace: NS });
    expect(orphan.metadata?.ownerReferences).toBeUndefined();
  });

  it('holds an object with finalizers until the last one is removed', async () => {
    const body = { ...modelDeployment('dino'), metadata: { name: 'dino', finalizers: ['focal.dev/cleanup'] } };
    await custom.createNamespacedCustomObject({ ...MD, namespace: NS, body });
    await custom.deleteNamespacedCustomObject({ ...MD, namespace: NS, name: 'dino' });
    const terminating = await getMd('dino');
    expect(terminating.metadata.deletionTimestamp).toBeDefined();
    await custom.patchNamespacedCustomObject(
      { ...MD, namespace: NS, name: 'dino', body: { metadata: { finalizers: null } } },
      mergePatch,
    );
    expect((await apiError(getMd('dino'))).code).toBe(404);
  });
});
