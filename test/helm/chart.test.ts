/**
 * The Helm chart (charts/focal): lint, render with the default, GPU and kind values, validate every
 * rendered object against the Kubernetes OpenAPI models and the ModelDeployment CRD, and pin the
 * properties that matter (env contract with the apps, Secrets, Redis, RBAC, GPU scheduling).
 *
 * Needs .tools/bin/helm (scripts/install-helm.sh, run by the test command): without it the suite fails, it never
 * skips.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ajvErrors,
  byComponent,
  chartCrdPath,
  chartDir,
  compileCrdValidator,
  compileValuesSchema,
  container,
  type CrdDocument,
  type DeploymentObject,
  envOf,
  envValue,
  find,
  helm,
  helmAvailable,
  helmBin,
  kindCounts,
  type KubeObject,
  loadJson,
  loadYaml,
  MODEL_DEPLOYMENT_TYPE,
  NAMESPACE,
  ofKind,
  permissions,
  perms,
  type PolicyRule,
  RELEASE,
  render,
  renderError,
  renderNotes,
  repoRoot,
  topLevelCrdPath,
  validateBuiltin,
  valuesFiles,
} from './helm-render.js';

// helm is part of what the test command installs (scripts/install-helm.sh): a missing helm fails the suite, it
// never skips it.
describe('helm', () => {
  it(`is installed at ${path.relative(repoRoot, helmBin)} (scripts/install-helm.sh)`, () => {
    expect(helmAvailable()).toBe(true);
  });
});
const describeHelm = describe;

// Names derived from release "focal" (the release name contains the chart name, so no prefix doubling).
const API = 'focal-api';
const OPERATOR = 'focal-operator';
const REDIS = 'focal-redis';

const configDir = path.join(repoRoot, 'libs', 'config', 'src');

const STANDARD_LABELS = [
  'helm.sh/chart',
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/version',
  'app.kubernetes.io/managed-by',
];

const CLUSTER_SCOPED = new Set(['ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition']);

/** The API's Role: read, create and scale ModelDeployments; read their status. Nothing else. */
const API_PERMISSIONS = [
  ...perms('focal.dev', 'modeldeployments', ['get', 'list', 'watch', 'create', 'update', 'patch']),
  ...perms('focal.dev', 'modeldeployments/scale', ['get', 'update', 'patch']),
  ...perms('focal.dev', 'modeldeployments/status', ['get']),
  // Read-only, to route requests straight to ready model pods (FOCAL_K8S_ROUTING=pods).
  ...perms('core', 'pods', ['get', 'list', 'watch']),
].sort();

/** What the operator needs to reconcile and autoscale; no Secrets, pods read-only, never creates/deletes ModelDeployments. */
const OPERATOR_RECONCILE_PERMISSIONS = [
  ...perms('focal.dev', 'modeldeployments', ['get', 'list', 'watch', 'update', 'patch']),
  ...perms('focal.dev', 'modeldeployments/status', ['get', 'update', 'patch']),
  ...perms('focal.dev', 'modeldeployments/finalizers', ['update']),
  // The autoscaler writes spec.replicas through the scale subresource.
  ...perms('focal.dev', 'modeldeployments/scale', ['get', 'update', 'patch']),
  ...perms('apps', 'deployments', ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']),
  ...perms('core', 'services', ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']),
  // Read-only: pod states explain a model that does not become ready (ModelFetchFailed, Unschedulable).
  ...perms('core', 'pods', ['get', 'list', 'watch']),
  ...perms('core', 'events', ['create', 'patch']),
  ...perms('events.k8s.io', 'events', ['create', 'patch']),
];
const OPERATOR_LEASE_PERMISSIONS = [...perms('coordination.k8s.io', 'leases', ['get', 'create', 'update'])];

function deployment(objects: KubeObject[], name: string): DeploymentObject {
  return find<DeploymentObject>(objects, 'Deployment', name);
}

function rulesOf(objects: KubeObject[], kind: string, name: string): string[] {
  return permissions(find<KubeObject & { rules: PolicyRule[] }>(objects, kind, name).rules);
}

function decodeSecret(secret: KubeObject, key: string): string {
  const data = (secret as KubeObject & { data?: Record<string, string> }).data ?? {};
  expect(data).toHaveProperty(key);
  return Buffer.from(data[key], 'base64').toString('utf8');
}

let crdValidator: ReturnType<typeof compileCrdValidator>;
let crd: CrdDocument;

function validateAll(objects: KubeObject[]): void {
  expect(objects.length).toBeGreaterThan(0);
  for (const object of objects) {
    expect(object.metadata?.name).toEqual(expect.any(String));
    for (const label of STANDARD_LABELS) {
      expect({
        object: `${object.kind}/${object.metadata.name}`,
        label,
        value: object.metadata.labels?.[label],
      }).toEqual({
        object: `${object.kind}/${object.metadata.name}`,
        label,
        value: expect.any(String),
      });
    }
    if (!CLUSTER_SCOPED.has(object.kind))
      expect(`${object.kind}/${object.metadata.name}@${object.metadata.namespace}`).toBe(
        `${object.kind}/${object.metadata.name}@${NAMESPACE}`,
      );
    if (`${object.apiVersion}/${object.kind}` === MODEL_DEPLOYMENT_TYPE) {
      const candidate: unknown = object;
      if (!crdValidator(candidate))
        throw new Error(`ModelDeployment/${object.metadata.name} violates the CRD schema:\n${ajvErrors(crdValidator)}`);
    } else {
      validateBuiltin(object);
    }
  }
}

/** Every Service selects exactly the pods of one rendered Deployment and targets a named container port. */
function checkServiceWiring(objects: KubeObject[]): void {
  const deployments = ofKind<DeploymentObject>(objects, 'Deployment');
  for (const service of ofKind<
    KubeObject & { spec: { selector: Record<string, string>; ports: { targetPort: string | number }[] } }
  >(objects, 'Service')) {
    const selected = deployments.filter((d) =>
      Object.entries(service.spec.selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v),
    );
    expect({ service: service.metadata.name, selects: selected.map((d) => d.metadata.name) }).toEqual({
      service: service.metadata.name,
      selects: [expect.any(String)],
    });
    const portNames = selected[0].spec.template.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name));
    for (const port of service.spec.ports) expect(portNames).toContain(port.targetPort);
  }
  // Deployment selectors match their own pod template.
  for (const d of deployments) {
    for (const [k, v] of Object.entries(d.spec.selector.matchLabels))
      expect(d.spec.template.metadata.labels[k]).toBe(v);
  }
}

/** Pods run as non-root, without privilege escalation, read-only root, all capabilities dropped, with resources. */
function checkPodSecurity(objects: KubeObject[]): void {
  for (const d of ofKind<DeploymentObject>(objects, 'Deployment')) {
    const pod = d.spec.template.spec;
    // Service links inject e.g. FOCAL_REDIS_PORT=tcp://… for a Service named focal-redis.
    expect({ d: d.metadata.name, enableServiceLinks: pod.enableServiceLinks }).toEqual({
      d: d.metadata.name,
      enableServiceLinks: false,
    });
    expect({ d: d.metadata.name, runAsNonRoot: pod.securityContext?.runAsNonRoot }).toEqual({
      d: d.metadata.name,
      runAsNonRoot: true,
    });
    for (const c of pod.containers) {
      expect({ d: d.metadata.name, sc: c.securityContext }).toEqual({
        d: d.metadata.name,
        sc: expect.objectContaining({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        }),
      });
      expect(c.resources?.requests).toEqual(
        expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }),
      );
      expect(c.resources?.limits).toEqual(expect.objectContaining({ memory: expect.anything() }));
    }
  }
}

/** RoleBindings/ClusterRoleBindings point at rendered roles and ServiceAccounts that pods use. */
function checkRbacWiring(objects: KubeObject[]): void {
  const serviceAccounts = new Set(ofKind(objects, 'ServiceAccount').map((sa) => sa.metadata.name));
  for (const binding of [...ofKind(objects, 'RoleBinding'), ...ofKind(objects, 'ClusterRoleBinding')] as (KubeObject & {
    roleRef: { kind: string; name: string };
    subjects: { kind: string; name: string; namespace: string }[];
  })[]) {
    find(objects, binding.roleRef.kind, binding.roleRef.name);
    for (const subject of binding.subjects) {
      expect(subject.kind).toBe('ServiceAccount');
      expect(subject.namespace).toBe(NAMESPACE);
      expect(serviceAccounts).toContain(subject.name);
    }
  }
  for (const d of ofKind<DeploymentObject>(objects, 'Deployment')) {
    const sa = d.spec.template.spec.serviceAccountName;
    if (sa !== undefined) expect(serviceAccounts).toContain(sa);
  }
}

function readPackageVersion(): string {
  return (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

// ====================================================================================================
describe('chart files (no helm needed)', () => {
  it('ships a byte-for-byte copy of crds/modeldeployments.focal.dev.yaml (scripts/sync-crds.sh)', () => {
    const source = readFileSync(topLevelCrdPath);
    const copy = readFileSync(chartCrdPath);
    expect(copy.equals(source)).toBe(true);
  });

  it('has the ModelDeployment CRD the chart templates target', () => {
    crd = loadYaml(chartCrdPath) as CrdDocument;
    expect(crd.spec.group).toBe('focal.dev');
    expect(crd.spec.names.kind).toBe('ModelDeployment');
    expect(crd.spec.versions.filter((v) => v.storage).map((v) => v.name)).toEqual(['v1alpha1']);
    crdValidator = compileCrdValidator(crd);
  });

  it('keeps appVersion (the default image tag) equal to package.json version', () => {
    const chart = loadYaml(path.join(chartDir, 'Chart.yaml')) as {
      apiVersion: string;
      appVersion: string;
      name: string;
    };
    expect(chart).toEqual(expect.objectContaining({ apiVersion: 'v2', name: 'focal', appVersion: '0.1.0' }));
    expect(chart.appVersion).toBe(readPackageVersion());
  });

  describe('values.schema.json', () => {
    const schema = loadJson(path.join(chartDir, 'values.schema.json')) as Record<string, unknown> & {
      definitions: { modelDeployment: { properties: Record<string, unknown>; required: string[] } };
    };
    const validate = compileValuesSchema(schema);

    it('is JSON Schema draft-07', () => {
      expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    });

    it.each(Object.entries(valuesFiles))('accepts the %s values file', (_name, file) => {
      const values = loadYaml(file);
      const ok = validate(values);
      if (!ok) throw new Error(`${file}:\n${ajvErrors(validate)}`);
      expect(ok).toBe(true);
    });

    it('describes every key of values.yaml (no undocumented values)', () => {
      // The schema forbids unknown keys, so values.yaml validating proves coverage; check the switch is on.
      const values = loadYaml(valuesFiles.default) as Record<string, unknown>;
      expect(validate({ ...values, typoKey: true })).toBe(false);
      expect(validate({ ...values, api: { ...(values.api as object), replica: 2 } })).toBe(false);
    });

    it.each([
      ['a bad device', { api: { defaultDevice: 'gpu' } }],
      ['a negative job concurrency', { api: { jobConcurrency: 0 } }],
      ['an API key containing a comma', { apiKeys: { admin: 'abcd,efgh' } }],
      ['an API key shorter than 8 characters', { apiKeys: { inference: 'short' } }],
      ['a log level the apps do not know', { logLevel: 'info' }],
      ['an unknown model type in defaultModels', { api: { defaultModels: { yolo: 'a/b' } } }],
      ['a non-redis external URL', { redis: { external: { url: 'http://redis:6379' } } }],
      ['a model without modelId', { modelDeployments: [{ name: 'x', modelType: 'dinov3' }] }],
      ['a model with an unknown type', { modelDeployments: [{ name: 'x', modelType: 'yolo', modelId: 'a/b' }] }],
      [
        'a model with an upper-case name',
        { modelDeployments: [{ name: 'Dino', modelType: 'dinov3', modelId: 'a/b' }] },
      ],
      [
        'a cache with both emptyDir and pvc',
        {
          modelDeployments: [
            { name: 'x', modelType: 'dinov3', modelId: 'a/b', cache: { emptyDir: {}, pvc: { claimName: 'c' } } },
          ],
        },
      ],
      ['a bad pull policy', { operator: { image: { repository: 'x', pullPolicy: 'Sometimes' } } }],
    ])('rejects %s', (_what, values) => {
      expect(validate(values)).toBe(false);
    });

    it('mirrors the CRD spec fields in modelDeployments items', () => {
      const crdDoc = loadYaml(chartCrdPath) as CrdDocument;
      const specSchema = crdDoc.spec.versions.find((v) => v.storage)!.schema.openAPIV3Schema as {
        properties: { spec: { properties: Record<string, unknown>; required: string[] } };
      };
      const crdFields = Object.keys(specSchema.properties.spec.properties).sort();
      const valueFields = Object.keys(schema.definitions.modelDeployment.properties)
        .filter((k) => !['name', 'labels', 'annotations'].includes(k))
        .sort();
      expect(valueFields).toEqual(crdFields);
      for (const required of specSchema.properties.spec.required) {
        expect(schema.definitions.modelDeployment.required).toContain(required);
      }
    });
  });
});

// ====================================================================================================
describeHelm('helm lint', () => {
  it.each(Object.entries(valuesFiles))('passes --strict with the %s values', (_name, file) => {
    const result = helm(['lint', chartDir, '--strict', '-f', file]);
    if (result.status !== 0) throw new Error(`helm lint failed:\n${result.stdout}\n${result.stderr}`);
    expect(result.stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('fails on values the schema rejects', () => {
    const result = helm(['lint', chartDir, '--set', 'api.defaultDevice=gpu']);
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/defaultDevice/);
  });
});

// ====================================================================================================
describeHelm('helm template', () => {
  beforeAll(() => {
    crd ??= loadYaml(chartCrdPath) as CrdDocument;
    crdValidator ??= compileCrdValidator(crd);
  });

  describe('default values', () => {
    let objects: KubeObject[];
    beforeAll(() => {
      objects = render();
    });

    it('renders exactly the default set of objects, all valid', () => {
      expect(kindCounts(objects)).toEqual({
        ServiceAccount: 2,
        Role: 2,
        RoleBinding: 2,
        Deployment: 3,
        Service: 2,
      });
      expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
        [
          `Deployment/${API}`,
          `Deployment/${OPERATOR}`,
          `Deployment/${REDIS}`,
          `Role/${API}`,
          `Role/${OPERATOR}`,
          `RoleBinding/${API}`,
          `RoleBinding/${OPERATOR}`,
          `Service/${API}`,
          `Service/${REDIS}`,
          `ServiceAccount/${API}`,
          `ServiceAccount/${OPERATOR}`,
        ].sort(),
      );
      validateAll(objects);
      checkServiceWiring(objects);
      checkRbacWiring(objects);
      checkPodSecurity(objects);
    });

    it('has no Ingress, HPA, Secret, PVC, cluster-wide RBAC or ModelDeployment by default', () => {
      for (const kind of [
        'Ingress',
        'HorizontalPodAutoscaler',
        'Secret',
        'PersistentVolumeClaim',
        'ClusterRole',
        'ClusterRoleBinding',
        'ModelDeployment',
      ]) {
        expect({ kind, count: ofKind(objects, kind).length }).toEqual({ kind, count: 0 });
      }
    });

    it('gives the API its Kubernetes-mode environment', () => {
      const api = container(deployment(objects, API), 'api');
      expect(api.image).toBe('focal/api:0.1.0');
      expect(envValue(api, 'FOCAL_RUNTIME')).toBe('kubernetes');
      expect(envValue(api, 'FOCAL_PORT')).toBe('8000');
      expect(envValue(api, 'NODE_ENV')).toBe('production');
      expect(envOf(api, 'FOCAL_K8S_NAMESPACE')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.namespace');
      expect(envValue(api, 'FOCAL_REDIS_URL')).toBe(`redis://${REDIS}.${NAMESPACE}.svc:6379/0`);
      expect(envValue(api, 'FOCAL_AUTO_LOAD')).toBe('true');
      expect(envValue(api, 'FOCAL_JOB_CONCURRENCY')).toBe('2');
      expect(envValue(api, 'FOCAL_LOAD_TIMEOUT_MS')).toBe('600000');
      expect(envValue(api, 'FOCAL_DEVICE')).toBe('cpu');
      expect(envValue(api, 'FOCAL_JOB_RETENTION_SECONDS')).toBe('86400');
      expect(envValue(api, 'FOCAL_LOG_LEVEL')).toBe('log');
      expect(envValue(api, 'FOCAL_LOG_FORMAT')).toBe('json');
      expect((api.env ?? []).filter((e) => e.name.startsWith('FOCAL_MODEL_') || e.name === 'FOCAL_PRELOAD')).toEqual(
        [],
      );
      // No keys configured: no FOCAL_API_KEYS (auth off, the guide's snippets work), no token, default CORS.
      expect(envOf(api, 'FOCAL_API_KEYS')).toBeUndefined();
      expect(envOf(api, 'HF_TOKEN')).toBeUndefined();
      expect(envOf(api, 'FOCAL_CORS_ORIGINS')).toBeUndefined();
    });

    it('serves the API on 8000 with /health probes', () => {
      const d = deployment(objects, API);
      const api = container(d, 'api');
      expect(api.ports).toEqual([expect.objectContaining({ name: 'http', containerPort: 8000 })]);
      for (const probe of [api.startupProbe, api.livenessProbe, api.readinessProbe]) {
        expect(probe?.httpGet).toEqual({ path: '/health', port: 'http' });
      }
      expect(d.spec.replicas).toBe(1);
      expect(d.spec.template.spec.serviceAccountName).toBe(API);
      expect(d.spec.template.spec.automountServiceAccountToken).toBe(true);
      const service = find<KubeObject & { spec: { type: string; ports: { port: number; name: string }[] } }>(
        objects,
        'Service',
        API,
      );
      expect(service.spec.type).toBe('ClusterIP');
      expect(service.spec.ports).toEqual([expect.objectContaining({ name: 'http', port: 8000, targetPort: 'http' })]);
    });

    it('configures the operator: leader election, metrics port and probes, images, GPU defaults', () => {
      const d = deployment(objects, OPERATOR);
      const op = container(d, 'operator');
      expect(d.spec.replicas).toBe(1);
      expect(op.image).toBe('focal/operator:0.1.0');
      expect(envValue(op, 'FOCAL_LEADER_ELECTION')).toBe('true');
      expect(envValue(op, 'FOCAL_LEADER_ELECTION_LEASE_NAME')).toBe(OPERATOR);
      expect(envOf(op, 'FOCAL_POD_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
      expect(envOf(op, 'FOCAL_OPERATOR_NAMESPACE')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.namespace');
      expect(envValue(op, 'FOCAL_OPERATOR_WATCH_ALL_NAMESPACES')).toBe('false');
      expect(envValue(op, 'FOCAL_OPERATOR_METRICS_PORT')).toBe('8081');
      expect(op.ports).toEqual([expect.objectContaining({ name: 'metrics', containerPort: 8081 })]);
      expect(op.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
      expect(op.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
      expect(d.spec.template.metadata.annotations).toEqual(
        expect.objectContaining({
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': '8081',
          'prometheus.io/path': '/metrics',
        }),
      );
      expect(envValue(op, 'FOCAL_INFERENCE_IMAGE')).toBe('focal/inference:0.1.0');
      expect(envValue(op, 'FOCAL_INFERENCE_CUDA_IMAGE')).toBe('focal/inference-cuda:0.1.0');
      expect(envValue(op, 'FOCAL_INFERENCE_IMAGE_PULL_POLICY')).toBe('IfNotPresent');
      expect(JSON.parse(envValue(op, 'FOCAL_GPU_NODE_SELECTOR'))).toEqual({ 'nvidia.com/gpu.present': 'true' });
      expect(JSON.parse(envValue(op, 'FOCAL_GPU_TOLERATIONS'))).toEqual([
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      ]);
      expect(envValue(op, 'FOCAL_GPU_RUNTIME_CLASS')).toBe('nvidia');
      expect(envValue(op, 'FOCAL_GPU_RESOURCE_NAME')).toBe('nvidia.com/gpu');
      expect(envValue(op, 'FOCAL_HF_TOKEN_SECRET')).toBe('');
      expect(envValue(op, 'FOCAL_HF_ENDPOINT')).toBe('');
      expect(envValue(op, 'FOCAL_IMAGE_PULL_SECRETS')).toBe('');
      // The operator reads no Secret values itself.
      expect((op.env ?? []).filter((e) => e.valueFrom?.secretKeyRef)).toEqual([]);
    });

    it('sets only environment variables that libs/config reads for the API', () => {
      const configSource = readdirSync(configDir)
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
        .map((f) => readFileSync(path.join(configDir, f), 'utf8'))
        .join('\n');
      const api = container(
        deployment(
          render({
            set: { 'apiKeys.admin': 'admin-key-1', 'hfToken.value': 'hf_x' },
            setJson: {
              'api.corsOrigins': ['https://a.example'],
              'api.preload': ['dinov3'],
              'api.defaultModels': { dinov3: 'a/b' },
            },
          }),
          API,
        ),
        'api',
      );
      const names = (api.env ?? []).map((e) => e.name).filter((n) => n !== 'NODE_ENV');
      expect(names.length).toBeGreaterThan(15);
      for (const name of names) {
        const read = name.startsWith('FOCAL_MODEL_')
          ? configSource.includes('`FOCAL_MODEL_${')
          : configSource.includes(`'${name}'`);
        expect({ name, read }).toEqual({ name, read: true });
      }
    });

    it('grants the API and the operator exactly their least-privilege permissions', () => {
      expect(rulesOf(objects, 'Role', API)).toEqual(API_PERMISSIONS);
      expect(rulesOf(objects, 'Role', OPERATOR)).toEqual(
        [...OPERATOR_RECONCILE_PERMISSIONS, ...OPERATOR_LEASE_PERMISSIONS].sort(),
      );
      const all = [...rulesOf(objects, 'Role', API), ...rulesOf(objects, 'Role', OPERATOR)];
      // No Secrets, no wildcards, and Pods only read (the API's routing watch, the operator's status), never written.
      const writes = ['create', 'update', 'patch', 'delete', 'deletecollection'];
      expect(
        all.filter(
          (p) =>
            p.startsWith('core/secrets') ||
            p.includes('*') ||
            (p.startsWith('core/pods') && writes.some((verb) => p.endsWith(`:${verb}`))),
        ),
      ).toEqual([]);
    });

    it('runs a built-in Redis without persistence', () => {
      const d = deployment(objects, REDIS);
      const redis = container(d, 'redis');
      expect(redis.image).toBe('redis:7-alpine');
      expect(redis.args).toEqual(
        expect.arrayContaining(['--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction']),
      );
      expect(d.spec.template.spec.volumes).toEqual([{ name: 'data', emptyDir: {} }]);
      expect(d.spec.template.spec.automountServiceAccountToken).toBe(false);
    });
  });

  describe('GPU values (charts/focal/values-gpu.yaml)', () => {
    let objects: KubeObject[];
    beforeAll(() => {
      objects = render({ files: [valuesFiles.gpu] });
    });

    it('renders valid objects, including ModelDeployments that satisfy the CRD', () => {
      validateAll(objects);
      checkServiceWiring(objects);
      checkRbacWiring(objects);
      checkPodSecurity(objects);
      const mds = ofKind<KubeObject & { spec: { device: string; modelType: string } }>(objects, 'ModelDeployment');
      expect(mds.map((m) => m.metadata.name).sort()).toEqual(['depth-anything', 'grounding-dino']);
      expect(mds.every((m) => m.spec.device === 'cuda')).toBe(true);
      expect(mds.every((m) => m.metadata.labels?.['app.kubernetes.io/component'] === 'model')).toBe(true);
    });

    it('passes NVIDIA node selector, tolerations and runtime class to the operator', () => {
      const op = container(deployment(objects, OPERATOR), 'operator');
      expect(JSON.parse(envValue(op, 'FOCAL_GPU_NODE_SELECTOR'))).toEqual({ 'nvidia.com/gpu.present': 'true' });
      expect(JSON.parse(envValue(op, 'FOCAL_GPU_TOLERATIONS'))).toEqual([
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      ]);
      expect(envValue(op, 'FOCAL_GPU_RUNTIME_CLASS')).toBe('nvidia');
      expect(envValue(op, 'FOCAL_INFERENCE_CUDA_IMAGE')).toBe('focal/inference-cuda:0.1.0');
      expect(deployment(objects, OPERATOR).spec.replicas).toBe(2);
      expect(envValue(op, 'FOCAL_LEADER_ELECTION')).toBe('true');
      expect(envValue(container(deployment(objects, API), 'api'), 'FOCAL_DEVICE')).toBe('cuda');
    });

    it('autoscales the API on CPU with an autoscaling/v2 HPA and leaves replicas to it', () => {
      const hpa = find<KubeObject & { spec: Record<string, unknown> }>(objects, 'HorizontalPodAutoscaler', API);
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.spec).toEqual({
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: API },
        minReplicas: 2,
        maxReplicas: 6,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        ],
      });
      expect(deployment(objects, API).spec).not.toHaveProperty('replicas');
    });

    it('persists Redis on a PVC with the append-only file on', () => {
      const pvc = find<KubeObject & { spec: { resources: { requests: { storage: string } }; accessModes: string[] } }>(
        objects,
        'PersistentVolumeClaim',
        REDIS,
      );
      expect(pvc.spec.resources.requests.storage).toBe('2Gi');
      expect(pvc.spec.accessModes).toEqual(['ReadWriteOnce']);
      expect(pvc.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
      const d = deployment(objects, REDIS);
      expect(d.spec.template.spec.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: REDIS } }]);
      expect(container(d, 'redis').args).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
      expect(container(d, 'redis').args).not.toContain('--save');
      expect((d.spec as { strategy?: { type: string } }).strategy?.type).toBe('Recreate');
    });

    it('passes overridden GPU settings through as JSON, and an empty runtime class as ""', () => {
      const tolerations = [
        { key: 'gpu-pool', operator: 'Equal', value: 'a100', effect: 'NoSchedule' },
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
      ];
      const nodeSelector = { 'cloud.google.com/gke-accelerator': 'nvidia-tesla-a100', pool: 'gpu' };
      const custom = render({
        files: [valuesFiles.gpu],
        setJson: { 'gpu.tolerations': tolerations, 'gpu.nodeSelector': nodeSelector },
        set: { 'gpu.runtimeClassName': '' },
      });
      const op = container(deployment(custom, OPERATOR), 'operator');
      expect(JSON.parse(envValue(op, 'FOCAL_GPU_TOLERATIONS'))).toEqual(tolerations);
      // --set-json merges maps: the default key stays unless nulled.
      expect(JSON.parse(envValue(op, 'FOCAL_GPU_NODE_SELECTOR'))).toEqual({
        'nvidia.com/gpu.present': 'true',
        ...nodeSelector,
      });
      expect(envValue(op, 'FOCAL_GPU_RUNTIME_CLASS')).toBe('');
    });
  });

  describe('kind values (deploy/kind/values-kind.yaml)', () => {
    let objects: KubeObject[];
    beforeAll(() => {
      objects = render({ files: [valuesFiles.kind] });
    });

    it('renders valid objects', () => {
      validateAll(objects);
      checkServiceWiring(objects);
      checkRbacWiring(objects);
      checkPodSecurity(objects);
    });

    it('uses the locally built :dev images and never pulls them', () => {
      const api = container(deployment(objects, API), 'api');
      const op = container(deployment(objects, OPERATOR), 'operator');
      expect([api.image, api.imagePullPolicy]).toEqual(['focal/api:dev', 'Never']);
      expect([op.image, op.imagePullPolicy]).toEqual(['focal/operator:dev', 'Never']);
      expect(envValue(op, 'FOCAL_INFERENCE_IMAGE')).toBe('focal/inference:dev');
      expect(envValue(op, 'FOCAL_INFERENCE_IMAGE_PULL_POLICY')).toBe('Never');
    });

    it('exposes the API through an ingress-nginx Ingress on any host', () => {
      const ingress = find<
        KubeObject & {
          spec: {
            ingressClassName: string;
            tls?: unknown;
            rules: {
              host?: string;
              http: {
                paths: {
                  path: string;
                  pathType: string;
                  backend: { service: { name: string; port: { name: string } } };
                }[];
              };
            }[];
          };
        }
      >(objects, 'Ingress', API);
      expect(ingress.spec.ingressClassName).toBe('nginx');
      expect(ingress.spec.tls).toBeUndefined();
      expect(ingress.spec.rules).toHaveLength(1);
      expect(ingress.spec.rules[0].host).toBeUndefined();
      expect(ingress.spec.rules[0].http.paths).toEqual([
        { path: '/', pathType: 'Prefix', backend: { service: { name: API, port: { name: 'http' } } } },
      ]);
      expect(ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('64m');
      find(objects, 'Service', API);
    });

    it('preloads one CPU DINOv3 ModelDeployment and nothing on GPUs', () => {
      const mds = ofKind<KubeObject & { spec: Record<string, unknown> }>(objects, 'ModelDeployment');
      expect(mds).toHaveLength(1);
      expect(mds[0].metadata.name).toBe('dinov3');
      expect(mds[0].spec).toEqual(expect.objectContaining({ modelType: 'dinov3', device: 'cpu', replicas: 1 }));
      expect(mds[0].spec.modelId).toMatch(/dinov3/i);
      // A model auto-loaded by the API uses the same export as the preloaded one.
      expect(envValue(container(deployment(objects, API), 'api'), 'FOCAL_MODEL_DINOV3')).toBe(mds[0].spec.modelId);
      expect(envValue(container(deployment(objects, API), 'api'), 'FOCAL_DEVICE')).toBe('cpu');
    });
  });

  describe('secrets', () => {
    it('creates the API keys Secret as admin:<key>,inference:<key> and wires FOCAL_API_KEYS to it', () => {
      const objects = render({ set: { 'apiKeys.admin': 'adm-12345', 'apiKeys.inference': 'inf-45678' } });
      validateAll(objects);
      const secret = find(objects, 'Secret', 'focal-api-keys');
      expect(decodeSecret(secret, 'api-keys')).toBe('admin:adm-12345,inference:inf-45678');
      const api = container(deployment(objects, API), 'api');
      expect(envOf(api, 'FOCAL_API_KEYS')?.valueFrom?.secretKeyRef).toEqual({
        name: 'focal-api-keys',
        key: 'api-keys',
      });
    });

    it('lists only the roles that have a key', () => {
      const objects = render({ set: { 'apiKeys.inference': 'only-inf' } });
      expect(decodeSecret(find(objects, 'Secret', 'focal-api-keys'), 'api-keys')).toBe('inference:only-inf');
    });

    it('rolls the API pods when a key changes (checksum annotation)', () => {
      const checksum = (key: string): string | undefined =>
        deployment(render({ set: { 'apiKeys.admin': key } }), API).spec.template.metadata.annotations?.[
          'checksum/secrets'
        ];
      expect(checksum('key-one-1')).toMatch(/^[0-9a-f]{64}$/);
      expect(checksum('key-one-1')).toBe(checksum('key-one-1'));
      expect(checksum('key-one-1')).not.toBe(checksum('key-two-2'));
    });

    it('uses apiKeys.existingSecret instead of creating a Secret', () => {
      const objects = render({
        set: {
          'apiKeys.existingSecret': 'my-keys',
          'apiKeys.existingSecretKey': 'keys',
          'apiKeys.admin': 'ignored-key',
        },
      });
      expect(ofKind(objects, 'Secret')).toEqual([]);
      const api = container(deployment(objects, API), 'api');
      expect(envOf(api, 'FOCAL_API_KEYS')?.valueFrom?.secretKeyRef).toEqual({ name: 'my-keys', key: 'keys' });
    });

    it('creates the HF token Secret, gives it to the API and names it to the operator', () => {
      const objects = render({ set: { 'hfToken.value': 'hf_abc' } });
      validateAll(objects);
      expect(decodeSecret(find(objects, 'Secret', 'focal-hf-token'), 'hf-token')).toBe('hf_abc');
      const api = container(deployment(objects, API), 'api');
      expect(envOf(api, 'HF_TOKEN')?.valueFrom?.secretKeyRef).toEqual({ name: 'focal-hf-token', key: 'hf-token' });
      const op = container(deployment(objects, OPERATOR), 'operator');
      expect(envValue(op, 'FOCAL_HF_TOKEN_SECRET')).toBe('focal-hf-token');
      expect(envValue(op, 'FOCAL_HF_TOKEN_SECRET_KEY')).toBe('hf-token');
      expect(envOf(op, 'HF_TOKEN')).toBeUndefined();
    });

    it('names a hub mirror to the operator only, and refuses one that is not an http(s) URL', () => {
      const objects = render({ set: { hfEndpoint: 'http://hub-mirror.internal:8080' } });
      const op = container(deployment(objects, OPERATOR), 'operator');
      expect(envValue(op, 'FOCAL_HF_ENDPOINT')).toBe('http://hub-mirror.internal:8080');
      expect(envOf(container(deployment(objects, API), 'api'), 'HF_ENDPOINT')).toBeUndefined();
      expect(renderError({ set: { hfEndpoint: 'hub-mirror.internal:8080' } })).toMatch(
        /hfEndpoint.*does not match pattern/s,
      );
    });

    it("gives the operator the model rollouts' progress deadline, and refuses one that is not a positive integer", () => {
      const op = (set: Record<string, string>) => container(deployment(render({ set }), OPERATOR), 'operator');
      expect(envValue(op({}), 'FOCAL_MODEL_PROGRESS_DEADLINE_SECONDS')).toBe('1800');
      expect(
        envValue(op({ 'inference.progressDeadlineSeconds': '120' }), 'FOCAL_MODEL_PROGRESS_DEADLINE_SECONDS'),
      ).toBe('120');
      expect(renderError({ set: { 'inference.progressDeadlineSeconds': '0' } })).toMatch(/progressDeadlineSeconds/);
    });

    it('uses hfToken.existingSecret instead of creating a Secret', () => {
      const objects = render({ set: { 'hfToken.existingSecret': 'hub-creds', 'hfToken.existingSecretKey': 'token' } });
      expect(ofKind(objects, 'Secret')).toEqual([]);
      const api = container(deployment(objects, API), 'api');
      expect(envOf(api, 'HF_TOKEN')?.valueFrom?.secretKeyRef).toEqual({ name: 'hub-creds', key: 'token' });
      const op = container(deployment(objects, OPERATOR), 'operator');
      expect(envValue(op, 'FOCAL_HF_TOKEN_SECRET')).toBe('hub-creds');
      expect(envValue(op, 'FOCAL_HF_TOKEN_SECRET_KEY')).toBe('token');
    });
  });

  describe('redis', () => {
    it('drops the built-in Redis for redis.external.url', () => {
      const objects = render({
        set: { 'redis.external.url': 'redis://:pw@redis.example:6379/2', 'redis.persistence.enabled': true },
      });
      validateAll(objects);
      expect(byComponent(objects, 'Deployment', 'redis')).toEqual([]);
      expect(byComponent(objects, 'Service', 'redis')).toEqual([]);
      expect(ofKind(objects, 'PersistentVolumeClaim')).toEqual([]);
      expect(envValue(container(deployment(objects, API), 'api'), 'FOCAL_REDIS_URL')).toBe(
        'redis://:pw@redis.example:6379/2',
      );
    });

    it('reads the external Redis URL from an existing Secret', () => {
      const objects = render({ set: { 'redis.external.existingSecret': 'redis-conn' } });
      expect(byComponent(objects, 'Deployment', 'redis')).toEqual([]);
      const env = envOf(container(deployment(objects, API), 'api'), 'FOCAL_REDIS_URL');
      expect(env).toEqual({
        name: 'FOCAL_REDIS_URL',
        valueFrom: { secretKeyRef: { name: 'redis-conn', key: 'redis-url' } },
      });
    });

    it('mounts an existing claim without creating a PVC', () => {
      const objects = render({
        set: { 'redis.persistence.enabled': true, 'redis.persistence.existingClaim': 'redis-data' },
      });
      expect(ofKind(objects, 'PersistentVolumeClaim')).toEqual([]);
      expect(deployment(objects, REDIS).spec.template.spec.volumes).toEqual([
        { name: 'data', persistentVolumeClaim: { claimName: 'redis-data' } },
      ]);
    });
  });

  describe('RBAC variants', () => {
    it('uses a ClusterRole for watchAllNamespaces, keeping the Lease permissions namespaced', () => {
      const objects = render({ set: { 'operator.watchAllNamespaces': true } });
      validateAll(objects);
      checkRbacWiring(objects);
      const clusterRoleName = `${NAMESPACE}-${OPERATOR}`;
      expect(rulesOf(objects, 'ClusterRole', clusterRoleName)).toEqual([...OPERATOR_RECONCILE_PERMISSIONS].sort());
      expect(rulesOf(objects, 'Role', OPERATOR)).toEqual([...OPERATOR_LEASE_PERMISSIONS].sort());
      const binding = find<KubeObject & { roleRef: { kind: string; name: string }; subjects: unknown[] }>(
        objects,
        'ClusterRoleBinding',
        clusterRoleName,
      );
      expect(binding.roleRef).toEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: clusterRoleName,
      });
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: OPERATOR, namespace: NAMESPACE }]);
      expect(
        envValue(container(deployment(objects, OPERATOR), 'operator'), 'FOCAL_OPERATOR_WATCH_ALL_NAMESPACES'),
      ).toBe('true');
      // The API stays namespaced.
      expect(rulesOf(objects, 'Role', API)).toEqual(API_PERMISSIONS);
    });

    it('renders no RBAC with rbac.create=false', () => {
      const objects = render({ set: { 'rbac.create': false } });
      for (const kind of ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'])
        expect(ofKind(objects, kind)).toEqual([]);
      expect(ofKind(objects, 'ServiceAccount')).toHaveLength(2);
    });

    it('renders no operator objects with operator.enabled=false', () => {
      const objects = render({ set: { 'operator.enabled': false } });
      expect(objects.filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'operator')).toEqual([]);
      deployment(objects, API);
    });
  });

  describe('ingress and images', () => {
    it('renders TLS with the host as the default TLS host', () => {
      const objects = render({
        set: {
          'ingress.enabled': true,
          'ingress.className': 'nginx',
          'ingress.host': 'focal.example.com',
          'ingress.tls[0].secretName': 'focal-tls',
        },
      });
      validateAll(objects);
      const ingress = find<KubeObject & { spec: { tls: unknown; rules: { host: string }[] } }>(objects, 'Ingress', API);
      expect(ingress.spec.tls).toEqual([{ secretName: 'focal-tls', hosts: ['focal.example.com'] }]);
      expect(ingress.spec.rules[0].host).toBe('focal.example.com');
    });

    it('fails when a TLS block has no hosts and no ingress.host is set', () => {
      expect(renderError({ set: { 'ingress.enabled': true, 'ingress.tls[0].secretName': 'x' } })).toMatch(
        /ingress\.tls\[\]\.hosts/,
      );
    });

    it('prefixes imageRegistry, honours digests and passes pull secrets to model pods', () => {
      const digest = `sha256:${'a'.repeat(64)}`;
      const objects = render({
        set: {
          imageRegistry: 'ghcr.io/acme/',
          'api.image.digest': digest,
          'imagePullSecrets[0].name': 'regcred',
          'imagePullSecrets[1].name': 'other',
        },
      });
      validateAll(objects);
      expect(container(deployment(objects, API), 'api').image).toBe(`ghcr.io/acme/focal/api@${digest}`);
      const op = container(deployment(objects, OPERATOR), 'operator');
      expect(op.image).toBe('ghcr.io/acme/focal/operator:0.1.0');
      expect(envValue(op, 'FOCAL_INFERENCE_IMAGE')).toBe('ghcr.io/acme/focal/inference:0.1.0');
      expect(envValue(op, 'FOCAL_IMAGE_PULL_SECRETS')).toBe('regcred,other');
      expect(deployment(objects, API).spec.template.spec.imagePullSecrets).toEqual([
        { name: 'regcred' },
        { name: 'other' },
      ]);
    });

    it('joins CORS origins and passes api settings as strings', () => {
      const objects = render({
        set: { 'api.autoLoad': false, 'api.jobConcurrency': 7, 'api.loadTimeoutMs': 1234567 },
        setJson: { 'api.corsOrigins': ['https://a.example', 'https://b.example'] },
      });
      const api = container(deployment(objects, API), 'api');
      expect(envValue(api, 'FOCAL_CORS_ORIGINS')).toBe('https://a.example,https://b.example');
      expect(envValue(api, 'FOCAL_AUTO_LOAD')).toBe('false');
      expect(envValue(api, 'FOCAL_JOB_CONCURRENCY')).toBe('7');
      // Large integers must not turn into 1.234567e+06.
      expect(envValue(api, 'FOCAL_LOAD_TIMEOUT_MS')).toBe('1234567');
    });
  });

  describe('model deployments and CRDs', () => {
    it('renders every values field into the ModelDeployment spec and satisfies the CRD', () => {
      const md = {
        name: 'sam3',
        labels: { team: 'vision' },
        annotations: { note: 'preloaded' },
        modelType: 'sam3',
        modelId: 'hf://acme/sam3-onnx',
        revision: 'v1.0',
        replicas: 0,
        device: 'cuda',
        image: 'registry.example/focal/inference-cuda:custom',
        resources: { requests: { cpu: '2', memory: '8Gi' }, limits: { memory: '16Gi' } },
        nodeSelector: { pool: 'a100' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'ml', effect: 'NoSchedule' }],
        batching: { maxBatchSize: 4, maxDelayMs: 8 },
        cache: { pvc: { claimName: 'model-cache' } },
        hfTokenSecret: { name: 'hub', key: 'token' },
        autoscaling: { minReplicas: 0, maxReplicas: 4, targetInFlight: 2, scaleDownDelaySeconds: 60 },
      };
      const objects = render({ setJson: { modelDeployments: [md] } });
      validateAll(objects);
      const rendered = find<KubeObject & { spec: unknown }>(objects, 'ModelDeployment', 'sam3');
      const { name: _name, labels, annotations, ...spec } = md;
      expect(rendered.apiVersion).toBe('focal.dev/v1alpha1');
      expect(rendered.spec).toEqual(spec);
      expect(rendered.metadata.labels).toEqual(expect.objectContaining(labels));
      expect(rendered.metadata.annotations).toEqual(annotations);
    });

    it('catches a ModelDeployment the CRD rejects (validator sanity check)', () => {
      const bad = {
        apiVersion: 'focal.dev/v1alpha1',
        kind: 'ModelDeployment',
        metadata: { name: 'x', namespace: NAMESPACE },
        spec: { modelType: 'dinov3', modelId: 'a/b', batching: { maxBatchSize: 0 }, unknownField: 1 },
      };
      expect(crdValidator(bad)).toBe(false);
      const message = ajvErrors(crdValidator);
      expect(message).toMatch(/maxBatchSize/);
      expect(message).toMatch(/unknownField/);
    });

    it('passes the autoscaler settings and the API pods to scrape to the operator, and the ETA default to the API', () => {
      const objects = render({ set: { 'operator.autoscaler.intervalMs': 500, 'api.expectedLoadSeconds': 12 } });
      const op = container(deployment(objects, OPERATOR), 'operator');
      expect(envValue(op, 'FOCAL_AUTOSCALER_INTERVAL_MS')).toBe('500');
      expect(envValue(op, 'FOCAL_AUTOSCALER_WINDOW_SECONDS')).toBe('10');
      expect(envValue(op, 'FOCAL_AUTOSCALER_API_SELECTOR')).toBe(
        `app.kubernetes.io/instance=${RELEASE},app.kubernetes.io/component=api`,
      );
      const apiPod = deployment(objects, API).spec.template;
      for (const [key, value] of Object.entries({
        'app.kubernetes.io/instance': RELEASE,
        'app.kubernetes.io/component': 'api',
      }))
        expect(apiPod.metadata?.labels?.[key]).toBe(value);
      expect(envValue(container(deployment(objects, API), 'api'), 'FOCAL_EXPECTED_LOAD_SECONDS')).toBe('12');
    });

    it('installs the CRD from crds/ (--include-crds) and it is a valid CustomResourceDefinition', () => {
      const objects = render({ includeCrds: true });
      const crdObject = find(objects, 'CustomResourceDefinition', 'modeldeployments.focal.dev');
      validateBuiltin(crdObject);
      // helm template without --include-crds leaves it out (helm installs crds/ before the templates).
      expect(ofKind(render(), 'CustomResourceDefinition')).toEqual([]);
    });

    it('requires a name on each modelDeployments item', () => {
      expect(renderError({ setJson: { modelDeployments: [{ modelType: 'dinov3', modelId: 'a/b' }] } })).toMatch(/name/);
    });
  });

  describe('NOTES.txt', () => {
    it.each(Object.entries(valuesFiles))('renders for the %s values without missing values', (_name, file) => {
      const notes = renderNotes([file]);
      expect(notes).toContain(`Focal 0.1.0 is installed as release "focal" in namespace "${NAMESPACE}"`);
      expect(notes).not.toContain('<no value>');
      expect(notes).toMatch(/kubectl get md -n focal-test/);
    });

    it('warns when the API runs without keys and points at the ingress when there is one', () => {
      expect(renderNotes()).toMatch(/WARNING: no API keys are configured/);
      const kind = renderNotes([valuesFiles.kind]);
      expect(kind).toMatch(/Through the Ingress \(class nginx\)/);
      expect(kind).toMatch(/- dinov3 \(dinov3, cpu\)/);
    });
  });

  describe('schema enforcement by helm', () => {
    it.each([
      ['an unknown top-level key', { set: { bogus: 1 } }, /bogus/],
      ['an unknown nested key', { set: { 'api.replica': 2 } }, /replica/],
      ['a bad device', { set: { 'api.defaultDevice': 'gpu' } }, /defaultDevice/],
    ])('rejects %s', (_what, options, pattern) => {
      expect(renderError(options)).toMatch(pattern);
    });
  });

  describe('release naming', () => {
    it('prefixes resources with <release>-focal for other release names and keeps wiring intact', () => {
      const objects = render({
        release: 'prod',
        files: [valuesFiles.kind],
        set: { 'hfToken.value': 't', 'apiKeys.admin': 'release-key' },
      });
      validateAll(objects);
      checkServiceWiring(objects);
      checkRbacWiring(objects);
      deployment(objects, 'prod-focal-api');
      const api = container(deployment(objects, 'prod-focal-api'), 'api');
      expect(envValue(api, 'FOCAL_REDIS_URL')).toBe(`redis://prod-focal-redis.${NAMESPACE}.svc:6379/0`);
      expect(envOf(api, 'FOCAL_API_KEYS')?.valueFrom?.secretKeyRef?.name).toBe('prod-focal-api-keys');
      find(objects, 'Secret', 'prod-focal-api-keys');
      find(objects, 'Secret', 'prod-focal-hf-token');
    });
  });
});
