import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CustomResourceDefinition as CrdModel } from 'kubernetes-models/apiextensions.k8s.io/v1';
import { parse } from 'yaml';
import {
  CONDITION_STATUSES,
  MODEL_DEPLOYMENT_API_VERSION,
  MODEL_DEPLOYMENT_CRD_NAME,
  MODEL_DEPLOYMENT_DEFAULTS,
  MODEL_DEPLOYMENT_GROUP,
  MODEL_DEPLOYMENT_KIND,
  MODEL_DEPLOYMENT_PHASES,
  MODEL_DEPLOYMENT_PLURAL,
  MODEL_DEPLOYMENT_SHORT_NAMES,
  MODEL_DEPLOYMENT_SINGULAR,
  MODEL_DEPLOYMENT_VERSION,
  MODEL_DEVICES,
  type ModelDeployment,
} from '../../libs/contracts/src/kubernetes/index.js';
import { MODEL_TYPES } from '../../libs/contracts/src/models/model-type.js';
import {
  compileStructuralSchema,
  FakeKubeApiServer,
  FAKE_KUBE_RESOURCES,
  FOCAL_CRD_FILE,
  loadCrdFile,
  type OpenApiSchema,
} from '../../libs/testing/src/fake-kube/index.js';

const EXAMPLES_DIR = join(dirname(FOCAL_CRD_FILE), '..', 'deploy', 'examples');

const [crd] = loadCrdFile(FOCAL_CRD_FILE);
if (!crd) throw new Error(`no CustomResourceDefinition in ${FOCAL_CRD_FILE}`);
const [version] = crd.spec.versions;
const schema = version?.schema?.openAPIV3Schema as OpenApiSchema;
const validate = compileStructuralSchema(schema);

/** Validates a copy, as the API server would with fieldValidation=Strict, and returns the copy and causes. */
function check(object: unknown, strict = true) {
  const copy = structuredClone(object);
  return { object: copy as ModelDeployment, causes: validate(copy, strict) };
}

function minimal(): ModelDeployment {
  return {
    apiVersion: MODEL_DEPLOYMENT_API_VERSION,
    kind: MODEL_DEPLOYMENT_KIND,
    metadata: { name: 'sam3' },
    spec: { modelType: 'sam3', modelId: 'danilobukvic/sam3-text-onnx' },
  };
}

function propertyAt(...path: string[]): OpenApiSchema {
  return path.reduce((node, key) => (node.properties as Record<string, OpenApiSchema>)[key] as OpenApiSchema, schema);
}

function examples(): Array<{ file: string; object: ModelDeployment }> {
  return readdirSync(EXAMPLES_DIR)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => ({ file, object: parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as ModelDeployment }));
}

interface SchemaNode {
  path: string;
  node: OpenApiSchema;
}

/** Every property, map value and list item schema, depth first. Junctor branches only carry `required` and are skipped. */
function walk(node: OpenApiSchema, path = ''): SchemaNode[] {
  const children: SchemaNode[] = [];
  for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, OpenApiSchema>)) {
    const childPath = path ? `${path}.${key}` : key;
    children.push({ path: childPath, node: child }, ...walk(child, childPath));
  }
  if (typeof node.additionalProperties === 'object') {
    const value = node.additionalProperties as OpenApiSchema;
    children.push({ path: `${path}.*`, node: value }, ...walk(value, `${path}.*`));
  }
  if (typeof node.items === 'object') {
    const item = node.items as OpenApiSchema;
    children.push({ path: `${path}[]`, node: item }, ...walk(item, `${path}[]`));
  }
  return children;
}

const VALIDATION_KEYWORDS = [
  'enum',
  'pattern',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'format',
  'minItems',
  'maxItems',
  'maxProperties',
  'required',
  'oneOf',
  'anyOf',
  'x-kubernetes-validations',
  'properties',
];
/** TypeMeta and ObjectMeta are validated by the API server itself, not by the CRD schema. */
const SERVER_VALIDATED = new Set(['apiVersion', 'kind', 'metadata']);

describe('ModelDeployment CRD', () => {
  it('declares the names, scope and version DESIGN §4 and the contracts constants use', () => {
    expect(crd.metadata.name).toBe(MODEL_DEPLOYMENT_CRD_NAME);
    expect(crd.spec.group).toBe(MODEL_DEPLOYMENT_GROUP);
    expect(crd.spec.scope).toBe('Namespaced');
    expect(crd.spec.names).toMatchObject({
      kind: MODEL_DEPLOYMENT_KIND,
      plural: MODEL_DEPLOYMENT_PLURAL,
      singular: MODEL_DEPLOYMENT_SINGULAR,
      shortNames: [...MODEL_DEPLOYMENT_SHORT_NAMES],
    });
    expect(crd.spec.versions).toHaveLength(1);
    expect(version).toMatchObject({ name: MODEL_DEPLOYMENT_VERSION, served: true, storage: true });
  });

  it('enables the status subresource and a scale subresource on spec.replicas', () => {
    expect(version?.subresources).toEqual({
      status: {},
      scale: {
        specReplicasPath: '.spec.replicas',
        statusReplicasPath: '.status.replicas',
        labelSelectorPath: '.status.selector',
      },
    });
    expect(propertyAt('status', 'selector').type).toBe('string');
  });

  it('prints type, device, replicas, ready, phase and age by default', () => {
    const columns = (version as unknown as { additionalPrinterColumns: Array<Record<string, unknown>> })
      .additionalPrinterColumns;
    const byDefault = columns.filter((c) => !c.priority).map((c) => [c.name, c.jsonPath]);
    expect(byDefault).toEqual([
      ['Type', '.spec.modelType'],
      ['Device', '.spec.device'],
      ['Replicas', '.spec.replicas'],
      ['Ready', '.status.readyReplicas'],
      ['Phase', '.status.phase'],
      ['Age', '.metadata.creationTimestamp'],
    ]);
  });

  it('is a valid apiextensions.k8s.io/v1 CustomResourceDefinition', () => {
    const raw = parse(readFileSync(FOCAL_CRD_FILE, 'utf8')) as Record<string, unknown>;
    expect(() => new CrdModel(raw as ConstructorParameters<typeof CrdModel>[0]).validate()).not.toThrow();
  });

  it('rejects a broken CRD in the same kubernetes-models check, so the check above can fail', () => {
    const raw = parse(readFileSync(FOCAL_CRD_FILE, 'utf8')) as { spec: { scope: unknown } };
    raw.spec.scope = 42;
    expect(() => new CrdModel(raw as unknown as ConstructorParameters<typeof CrdModel>[0]).validate()).toThrow();
  });

  it('agrees with the enums and defaults in libs/contracts', () => {
    expect(propertyAt('spec', 'modelType').enum).toEqual([...MODEL_TYPES]);
    expect(propertyAt('spec', 'device').enum).toEqual([...MODEL_DEVICES]);
    expect(propertyAt('status', 'phase').enum).toEqual([...MODEL_DEPLOYMENT_PHASES]);
    const condition = (propertyAt('status', 'conditions').items as OpenApiSchema).properties as Record<
      string,
      OpenApiSchema
    >;
    expect(condition.status?.enum).toEqual([...CONDITION_STATUSES]);
    expect(propertyAt('spec', 'replicas').default).toBe(MODEL_DEPLOYMENT_DEFAULTS.replicas);
    expect(propertyAt('spec', 'device').default).toBe(MODEL_DEPLOYMENT_DEFAULTS.device);
    expect(propertyAt('spec', 'batching', 'maxBatchSize').default).toBe(MODEL_DEPLOYMENT_DEFAULTS.maxBatchSize);
    expect(propertyAt('spec', 'batching', 'maxDelayMs').default).toBe(MODEL_DEPLOYMENT_DEFAULTS.maxDelayMs);
  });

  it('describes every property and map value', () => {
    const nodes = walk(schema);
    const paths = nodes.map((n) => n.path);
    expect(paths).toEqual(
      expect.arrayContaining(['spec.resources.limits.*', 'spec.cache.pvc.claimName', 'status.conditions[].reason']),
    );
    // The real API server refuses anything but `type` on metadata ("must not specify anything other than
    // name and generateName"), so metadata is the one node without a description.
    const undescribed = nodes.filter(
      ({ node, path }) =>
        path !== 'metadata' && (typeof node.description !== 'string' || node.description.trim() === ''),
    );
    expect(undescribed.map((n) => n.path)).toEqual([]);
  });

  it('validates every field below spec and status', () => {
    const fields = walk(schema).filter(({ path }) => !SERVER_VALIDATED.has(path));
    const unvalidated = fields.filter(({ node }) => !VALIDATION_KEYWORDS.some((k) => k in node));
    expect(unvalidated.map((n) => n.path)).toEqual([]);
  });

  it('is structural: every node has a type unless it is int-or-string', () => {
    const untyped = walk(schema).filter(({ node }) => !node.type && node['x-kubernetes-int-or-string'] !== true);
    expect(untyped.map((n) => n.path)).toEqual([]);
  });
});

describe('ModelDeployment samples (deploy/examples)', () => {
  const samples = examples();

  it('has one sample per model family, and one with a PVC cache and batching', () => {
    expect(new Set(samples.map((s) => s.object.spec.modelType))).toEqual(new Set(MODEL_TYPES));
    const pvc = samples.find((s) => s.object.spec.cache && 'pvc' in s.object.spec.cache);
    expect(pvc?.object.spec.batching?.maxBatchSize).toBeGreaterThan(1);
  });

  it.each(samples.map((s) => [s.file, s.object] as const))('%s passes strict validation', (_file, object) => {
    expect(object.apiVersion).toBe(MODEL_DEPLOYMENT_API_VERSION);
    expect(object.kind).toBe(MODEL_DEPLOYMENT_KIND);
    expect(check(object).causes).toEqual([]);
  });

  it('are admitted by the fake API server, which applies the schema defaults', () => {
    const server = new FakeKubeApiServer();
    for (const { object } of samples) {
      const created = server.create(FAKE_KUBE_RESOURCES.modelDeployments, {
        ...object,
        metadata: { ...object.metadata, namespace: 'focal' },
      });
      const spec = created.spec as ModelDeployment['spec'];
      expect(spec.device).toMatch(/^(cuda|cpu)$/);
      expect(spec.batching?.maxBatchSize).toBeGreaterThanOrEqual(1);
    }
    expect(server.list(FAKE_KUBE_RESOURCES.modelDeployments, 'focal')).toHaveLength(samples.length);
  });
});

describe('ModelDeployment schema validation', () => {
  it('defaults replicas, device and batching when omitted', () => {
    const { object, causes } = check(minimal());
    expect(causes).toEqual([]);
    expect(object.spec).toMatchObject({ replicas: 1, device: 'cuda', batching: { maxBatchSize: 1, maxDelayMs: 0 } });
  });

  it('accepts every modelId form: repo id, hf://, https:// and file:///', () => {
    for (const modelId of [
      'org/name',
      'hf://org/name',
      'hf://org/name/onnx',
      'https://models.example.com/a.onnx',
      'file:///models/sam3',
    ]) {
      const cr = minimal();
      cr.spec.modelId = modelId;
      expect({ modelId, causes: check(cr).causes }).toEqual({ modelId, causes: [] });
    }
  });

  it('accepts a full status written by the operator', () => {
    const cr = minimal();
    cr.status = {
      phase: 'Ready',
      replicas: 1,
      readyReplicas: 1,
      selector: 'focal.dev/model=sam3',
      endpoint: 'http://focal-model-sam3.default.svc:8080',
      observedGeneration: 2,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'AllReplicasReady',
          message: '',
          lastTransitionTime: '2025-01-01T00:00:00Z',
        },
        {
          type: 'Degraded',
          status: 'False',
          reason: 'AsExpected',
          message: 'ok',
          lastTransitionTime: '2025-01-01T00:00:00Z',
          observedGeneration: 2,
        },
      ],
    };
    expect(check(cr).causes).toEqual([]);
  });

  it('prunes unknown fields unless validation is strict', () => {
    const cr = { ...minimal(), spec: { ...minimal().spec, gpuCount: 2 } };
    const pruned = check(cr, false);
    expect(pruned.causes).toEqual([]);
    expect(pruned.object.spec).not.toHaveProperty('gpuCount');
    expect(check(cr, true).causes).toEqual([{ field: 'spec.gpuCount', message: 'field not declared in schema' }]);
  });

  /** Invalid objects do not fit the ModelDeployment type, so mutations work on plain records. */
  type Loose = { spec: Record<string, unknown>; status?: Record<string, unknown> };
  type Mutation = (cr: Loose) => void;
  const condition: Record<string, unknown> = {
    type: 'Ready',
    status: 'True',
    reason: 'Ok',
    message: '',
    lastTransitionTime: '2025-01-01T00:00:00Z',
  };
  const invalid: Array<[string, Mutation, string]> = [
    ['an unknown modelType', (cr) => void (cr.spec.modelType = 'yolo'), 'spec.modelType'],
    ['a missing modelId', (cr) => void delete cr.spec.modelId, 'spec'],
    ['a modelId that is no repo id or allowed URI', (cr) => void (cr.spec.modelId = 'sam3'), 'spec.modelId'],
    ['a plain http:// modelId', (cr) => void (cr.spec.modelId = 'http://example.com/m.onnx'), 'spec.modelId'],
    ['a modelId with spaces', (cr) => void (cr.spec.modelId = 'org/my model'), 'spec.modelId'],
    ['negative replicas', (cr) => void (cr.spec.replicas = -1), 'spec.replicas'],
    ['fractional replicas', (cr) => void (cr.spec.replicas = 1.5), 'spec.replicas'],
    ['an unknown device', (cr) => void (cr.spec.device = 'gpu'), 'spec.device'],
    ['maxBatchSize 0', (cr) => void (cr.spec.batching = { maxBatchSize: 0 }), 'spec.batching.maxBatchSize'],
    ['maxBatchSize 65', (cr) => void (cr.spec.batching = { maxBatchSize: 65 }), 'spec.batching.maxBatchSize'],
    ['maxDelayMs 1001', (cr) => void (cr.spec.batching = { maxDelayMs: 1001 }), 'spec.batching.maxDelayMs'],
    ['both emptyDir and pvc', (cr) => void (cr.spec.cache = { emptyDir: {}, pvc: { claimName: 'c' } }), 'spec.cache'],
    ['a cache with neither emptyDir nor pvc', (cr) => void (cr.spec.cache = {}), 'spec.cache'],
    ['a pvc without claimName', (cr) => void (cr.spec.cache = { pvc: {} }), 'spec.cache.pvc'],
    [
      'a claimName that is not a DNS name',
      (cr) => void (cr.spec.cache = { pvc: { claimName: 'My_Claim' } }),
      'spec.cache.pvc.claimName',
    ],
    [
      'an emptyDir sizeLimit that is not a quantity',
      (cr) => void (cr.spec.cache = { emptyDir: { sizeLimit: 'big' } }),
      'spec.cache.emptyDir.sizeLimit',
    ],
    [
      'a resource limit that is not a quantity',
      (cr) => void (cr.spec.resources = { limits: { memory: 'lots' } }),
      'spec.resources.limits.memory',
    ],
    ['an unknown resources key', (cr) => void (cr.spec.resources = { claims: [] }), 'spec.resources.claims'],
    [
      'a toleration operator outside Exists/Equal',
      (cr) => void (cr.spec.tolerations = [{ key: 'k', operator: 'In' }]),
      'spec.tolerations[0].operator',
    ],
    [
      'a toleration effect outside the taint effects',
      (cr) => void (cr.spec.tolerations = [{ key: 'k', effect: 'NoRun' }]),
      'spec.tolerations[0].effect',
    ],
    [
      'a nodeSelector value that is not a label value',
      (cr) => void (cr.spec.nodeSelector = { pool: 'a b' }),
      'spec.nodeSelector.pool',
    ],
    ['an hfTokenSecret without key', (cr) => void (cr.spec.hfTokenSecret = { name: 'hf' }), 'spec.hfTokenSecret'],
    ['an empty image', (cr) => void (cr.spec.image = ''), 'spec.image'],
    ['an unknown spec field', (cr) => void (cr.spec.gpus = 1), 'spec.gpus'],
    ['an unknown phase', (cr) => void (cr.status = { phase: 'Running' }), 'status.phase'],
    ['negative readyReplicas', (cr) => void (cr.status = { readyReplicas: -1 }), 'status.readyReplicas'],
    [
      'a condition status outside True/False/Unknown',
      (cr) => void (cr.status = { conditions: [{ ...condition, status: 'Yes' }] }),
      'status.conditions[0].status',
    ],
    [
      'a condition without reason',
      (cr) => void (cr.status = { conditions: [{ ...condition, reason: undefined }] }),
      'status.conditions[0]',
    ],
    [
      'a condition time that is not RFC 3339',
      (cr) => void (cr.status = { conditions: [{ ...condition, lastTransitionTime: 'yesterday' }] }),
      'status.conditions[0].lastTransitionTime',
    ],
    [
      'two conditions of one type',
      (cr) => void (cr.status = { conditions: [condition, condition] }),
      'status.conditions',
    ],
    [
      'an endpoint that is not an http(s) URL',
      (cr) => void (cr.status = { endpoint: 'focal-model-sam3:8080' }),
      'status.endpoint',
    ],
  ];

  it.each(invalid)('rejects %s', (_name, mutate, field) => {
    const cr = JSON.parse(JSON.stringify(minimal())) as Loose;
    mutate(cr);
    const { causes } = check(JSON.parse(JSON.stringify(cr)));
    expect(causes.map((c) => c.field)).toContain(field);
  });
});
