/**
 * Helpers for the Helm chart tests: run the helm binary that scripts/install-helm.sh puts in
 * .tools/bin, parse what `helm template` renders, and validate objects against the Kubernetes
 * OpenAPI models (kubernetes-models) or the ModelDeployment CRD's openAPIV3Schema (ajv).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type AnySchemaObject, type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { PersistentVolumeClaim, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const chartDir = path.join(repoRoot, 'charts', 'focal');
export const helmBin = path.join(repoRoot, '.tools', 'bin', 'helm');
export const crdFileName = 'modeldeployments.focal.dev.yaml';
export const topLevelCrdPath = path.join(repoRoot, 'crds', crdFileName);
export const chartCrdPath = path.join(chartDir, 'crds', crdFileName);

export const valuesFiles = {
  default: path.join(chartDir, 'values.yaml'),
  gpu: path.join(chartDir, 'values-gpu.yaml'),
  kind: path.join(repoRoot, 'deploy', 'kind', 'values-kind.yaml'),
} as const;

export const RELEASE = 'focal';
export const NAMESPACE = 'focal-test';

export function helmAvailable(): boolean {
  return existsSync(helmBin);
}

/** A rendered Kubernetes object; fields beyond the type meta are checked by the models. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export interface HelmResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function helm(args: string[]): HelmResult {
  const result = spawnSync(helmBin, args, {
    cwd: repoRoot,
    encoding: 'utf8',
    // Keep helm away from any user/CI configuration and repositories.
    env: {
      ...process.env,
      HELM_CONFIG_HOME: '/nonexistent-focal-helm-config',
      HELM_CACHE_HOME: '/nonexistent-focal-helm-cache',
    },
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface RenderOptions {
  /** Values files, in order (values.yaml is always the base). */
  files?: string[];
  /** --set key=value pairs. */
  set?: Record<string, string | number | boolean>;
  /** --set-json key=json pairs. */
  setJson?: Record<string, unknown>;
  includeCrds?: boolean;
  namespace?: string;
  release?: string;
}

function templateArgs(options: RenderOptions): string[] {
  const args = ['template', options.release ?? RELEASE, chartDir, '--namespace', options.namespace ?? NAMESPACE];
  for (const file of options.files ?? []) args.push('-f', file);
  for (const [key, value] of Object.entries(options.set ?? {})) args.push('--set', `${key}=${String(value)}`);
  for (const [key, value] of Object.entries(options.setJson ?? {}))
    args.push('--set-json', `${key}=${JSON.stringify(value)}`);
  if (options.includeCrds) args.push('--include-crds');
  return args;
}

/** `helm template`, failing loudly with helm's message when rendering fails. */
export function render(options: RenderOptions = {}): KubeObject[] {
  const result = helm(templateArgs(options));
  if (result.status !== 0) {
    throw new Error(`helm ${templateArgs(options).join(' ')} failed (${result.status}):\n${result.stderr}`);
  }
  if (result.stdout.includes('<no value>')) throw new Error('helm rendered "<no value>" (a missing value)');
  return parseManifests(result.stdout);
}

/** NOTES.txt as `helm install --dry-run=client` prints it (offline: no cluster is contacted). */
export function renderNotes(files: string[] = []): string {
  const args = ['install', RELEASE, chartDir, '--namespace', NAMESPACE, '--dry-run=client'];
  for (const file of files) args.push('-f', file);
  const result = spawnSync(helmBin, args, {
    cwd: repoRoot,
    encoding: 'utf8',
    env: {
      ...process.env,
      KUBECONFIG: '/nonexistent-focal-kubeconfig',
      HELM_CONFIG_HOME: '/nonexistent-focal-helm-config',
    },
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`helm ${args.join(' ')} failed:\n${result.stderr}`);
  const notes = result.stdout.indexOf('\nNOTES:\n');
  if (notes < 0) throw new Error('helm printed no NOTES');
  return result.stdout.slice(notes + '\nNOTES:\n'.length);
}

/** `helm template` that is expected to fail; returns helm's stderr. */
export function renderError(options: RenderOptions): string {
  const result = helm(templateArgs(options));
  if (result.status === 0) throw new Error(`helm ${templateArgs(options).join(' ')} unexpectedly succeeded`);
  return result.stderr;
}

export function parseManifests(text: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0)
      throw new Error(`invalid YAML from helm: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    objects.push(value as KubeObject);
  }
  return objects;
}

// ---- lookups ---------------------------------------------------------------------------------------

export function ofKind<T = KubeObject>(objects: KubeObject[], kind: string): T[] {
  return objects.filter((o) => o.kind === kind) as T[];
}

export function find<T = KubeObject>(objects: KubeObject[], kind: string, name: string): T {
  const matches = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  if (matches.length !== 1) {
    const have = objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ');
    throw new Error(`expected exactly one ${kind}/${name}, found ${matches.length} (rendered: ${have})`);
  }
  return matches[0] as T;
}

export function byComponent(objects: KubeObject[], kind: string, component: string): KubeObject[] {
  return objects.filter((o) => o.kind === kind && o.metadata.labels?.['app.kubernetes.io/component'] === component);
}

export function kindCounts(objects: KubeObject[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of objects) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
  return counts;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
  };
}

export interface Container {
  name: string;
  image: string;
  imagePullPolicy?: string;
  env?: EnvVar[];
  ports?: { name?: string; containerPort: number }[];
  args?: string[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface Probe {
  httpGet?: { path: string; port: string | number };
  tcpSocket?: { port: string | number };
  exec?: { command: string[] };
}

export interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  enableServiceLinks?: boolean;
  containers: Container[];
  securityContext?: Record<string, unknown>;
  volumes?: { name: string; persistentVolumeClaim?: { claimName: string }; emptyDir?: object }[];
  imagePullSecrets?: { name: string }[];
}

export interface DeploymentObject extends KubeObject {
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec };
  };
}

export function container(deployment: DeploymentObject, name?: string): Container {
  const containers = deployment.spec.template.spec.containers;
  const found = name ? containers.find((c) => c.name === name) : containers[0];
  if (!found) throw new Error(`container ${name ?? '[0]'} not found in ${deployment.metadata.name}`);
  return found;
}

export function envOf(c: Container, name: string): EnvVar | undefined {
  const matches = (c.env ?? []).filter((e) => e.name === name);
  if (matches.length > 1) throw new Error(`env ${name} is set ${matches.length} times in container ${c.name}`);
  return matches[0];
}

/** The literal value of an env var; fails if it is missing or comes from valueFrom. */
export function envValue(c: Container, name: string): string {
  const entry = envOf(c, name);
  if (!entry) throw new Error(`env ${name} missing in container ${c.name}`);
  if (entry.value === undefined) throw new Error(`env ${name} in container ${c.name} has no literal value`);
  return entry.value;
}

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** Flattens RBAC rules into sorted "group/resource:verb" permissions ("" group written as "core"). */
export function permissions(rules: PolicyRule[]): string[] {
  const out = new Set<string>();
  for (const rule of rules) {
    for (const group of rule.apiGroups ?? ['']) {
      for (const resource of rule.resources ?? []) {
        for (const verb of rule.verbs) out.add(`${group === '' ? 'core' : group}/${resource}:${verb}`);
      }
    }
  }
  return [...out].sort();
}

export function perms(group: string, resource: string, verbs: string[]): string[] {
  return verbs.map((verb) => `${group}/${resource}:${verb}`);
}

// ---- validation ------------------------------------------------------------------------------------

type Validatable = new (data: never) => { validate(): void };

/** kubernetes-models classes for every built-in kind the chart may render. */
export const MODELS: Record<string, Validatable> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Secret': Secret,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'networking.k8s.io/v1/Ingress': Ingress,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'apiextensions.k8s.io/v1/CustomResourceDefinition': CustomResourceDefinition,
};

export const MODEL_DEPLOYMENT_TYPE = 'focal.dev/v1alpha1/ModelDeployment';

/** Throws with the model's message when a built-in object fails its OpenAPI schema. */
export function validateBuiltin(object: KubeObject): void {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!Model) throw new Error(`no kubernetes-models class for ${object.apiVersion}/${object.kind}`);
  try {
    new Model(object as never).validate();
  } catch (error) {
    throw new Error(`${object.kind}/${object.metadata.name}: ${(error as Error).message}`, { cause: error });
  }
}

export function loadYaml(file: string): unknown {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  if (docs.length !== 1) throw new Error(`${file}: expected one YAML document, found ${docs.length}`);
  const [doc] = docs;
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
  return doc.toJS();
}

export function loadJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

type Schema = Record<string, unknown>;

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A CRD schema as the API server applies it with strict field validation (kubectl's default):
 * objects that declare `properties` reject undeclared fields unless they preserve unknown fields.
 */
export function strictStructural(schema: Schema): Schema {
  const out: Schema = { ...schema };
  if (isObject(schema.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([k, v]) => [k, strictStructural(v as Schema)]),
    );
    if (schema.additionalProperties === undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
      out.additionalProperties = false;
    }
  }
  if (isObject(schema.items)) out.items = strictStructural(schema.items);
  if (isObject(schema.additionalProperties)) out.additionalProperties = strictStructural(schema.additionalProperties);
  for (const junctor of ['allOf', 'anyOf', 'oneOf']) {
    const branches = schema[junctor];
    if (Array.isArray(branches)) out[junctor] = branches.map((b) => strictStructural(b as Schema));
  }
  return out;
}

export interface CrdDocument {
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; served: boolean; storage: boolean; schema: { openAPIV3Schema: Schema } }[];
  };
}

/** Compiles the storage version's openAPIV3Schema of the ModelDeployment CRD. */
export function compileCrdValidator(crd: CrdDocument): ValidateFunction {
  const version = crd.spec.versions.find((v) => v.storage);
  if (!version) throw new Error('CRD has no storage version');
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
  // Vendor keywords the API server interprets; CEL rules need a real API server.
  for (const keyword of [
    'x-kubernetes-int-or-string',
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-embedded-resource',
    'x-kubernetes-map-type',
    'x-kubernetes-list-type',
    'x-kubernetes-list-map-keys',
    'x-kubernetes-validations',
  ]) {
    ajv.addKeyword({ keyword });
  }
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/);
  return ajv.compile(strictStructural(version.schema.openAPIV3Schema) as AnySchemaObject);
}

/** Ajv for values.schema.json (JSON Schema draft-07, ajv's default dialect). */
export function compileValuesSchema(schema: Schema): ValidateFunction {
  // strictRequired off: `oneOf: [{required: [a]}, {required: [b]}]` names properties declared by the parent.
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
  return ajv.compile(schema as AnySchemaObject);
}

export function ajvErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`)
    .join('\n');
}
