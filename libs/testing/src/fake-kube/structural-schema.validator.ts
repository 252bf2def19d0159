import { Ajv, type AnySchemaObject, type ErrorObject, type FuncKeywordDefinition } from 'ajv';
import { isJsonObject } from './kube-object.js';
import type { ValidationCause } from './resource-type.js';

/** A CRD `openAPIV3Schema` node as parsed from YAML or JSON. */
export type OpenApiSchema = Record<string, unknown>;

/** Validates, defaults and (when not strict) prunes a value in place; returns what is invalid. */
export type SchemaValidator = (value: unknown, strict: boolean) => ValidationCause[];

/** Keywords the API server interprets but that carry nothing ajv must check here. */
const ANNOTATION_KEYWORDS = [
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-map-type',
  'x-kubernetes-list-map-keys',
  // CEL rules need a CEL interpreter; only a real API server (1.25+) enforces them.
  'x-kubernetes-validations',
];

/**
 * Turns a structural CRD schema into a JSON schema with the API server's unknown-field handling:
 * objects with `properties` and neither `additionalProperties` nor
 * `x-kubernetes-preserve-unknown-fields` get `additionalProperties: false`, which ajv then prunes
 * (`removeAdditional`) or rejects. Everything else is already JSON schema (draft-07 flavoured).
 */
export function toJsonSchema(schema: OpenApiSchema): AnySchemaObject {
  const converted: OpenApiSchema = { ...schema };
  if (isJsonObject(schema.properties)) {
    converted.properties = mapValues(schema.properties, (child) => toJsonSchema(child as OpenApiSchema));
    if (schema.additionalProperties === undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
      converted.additionalProperties = false;
    }
  }
  if (isJsonObject(schema.items)) converted.items = toJsonSchema(schema.items);
  if (isJsonObject(schema.additionalProperties))
    converted.additionalProperties = toJsonSchema(schema.additionalProperties);
  if (isJsonObject(schema.not)) converted.not = toJsonSchema(schema.not);
  for (const junctor of ['allOf', 'anyOf', 'oneOf']) {
    const branches = schema[junctor];
    if (Array.isArray(branches)) converted[junctor] = branches.map((b: OpenApiSchema) => toJsonSchema(b));
  }
  return converted;
}

function mapValues(record: Record<string, unknown>, fn: (value: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(value)]));
}

/** An ajv instance that understands the Kubernetes vendor keywords and formats a CRD may use. */
export function createStructuralAjv(unknownFields: 'prune' | 'reject'): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    // int-or-string fields put `pattern` next to an integer branch, and oneOf branches require
    // properties declared by their parent: both are how structural schemas are written.
    strictTypes: false,
    strictRequired: false,
    useDefaults: true,
    removeAdditional: unknownFields === 'prune',
  });
  for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword({ keyword });
  ajv.addKeyword(listTypeKeyword);
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/);
  return ajv;
}

/** `x-kubernetes-list-type`: `set` items must be unique, `map` items unique by their list-map-keys. */
const listTypeKeyword: FuncKeywordDefinition = {
  keyword: 'x-kubernetes-list-type',
  type: 'array',
  schemaType: 'string',
  validate: (listType: string, data: unknown[], parentSchema?: AnySchemaObject) => {
    if (listType === 'set') return new Set(data.map((item) => JSON.stringify(item))).size === data.length;
    if (listType !== 'map') return true;
    const keys = (parentSchema?.['x-kubernetes-list-map-keys'] as string[] | undefined) ?? [];
    const identities = data.map((item) => JSON.stringify(keys.map((k) => (isJsonObject(item) ? item[k] : undefined))));
    return new Set(identities).size === identities.length;
  },
};

/** Compiling takes tens of milliseconds, and every test starts a server from the same CRD. */
const compiled = new Map<string, SchemaValidator>();

/** Compiles a CRD schema into a validator behaving like the API server's, for both field-validation modes. */
export function compileStructuralSchema(schema: OpenApiSchema): SchemaValidator {
  const key = JSON.stringify(schema);
  const cached = compiled.get(key);
  if (cached) return cached;
  const validator = compileUncached(schema);
  compiled.set(key, validator);
  return validator;
}

function compileUncached(schema: OpenApiSchema): SchemaValidator {
  const jsonSchema = toJsonSchema(schema);
  const pruning = createStructuralAjv('prune').compile(jsonSchema);
  const strict = createStructuralAjv('reject').compile(jsonSchema);
  return (value, isStrict) => {
    const validate = isStrict ? strict : pruning;
    return validate(value) ? [] : (validate.errors ?? []).map(toCause);
  };
}

function toCause(error: ErrorObject): ValidationCause {
  const field = fieldPath(error.instancePath);
  if (error.keyword === 'additionalProperties') {
    const name = String(error.params.additionalProperty);
    return { field: field ? `${field}.${name}` : name, message: 'field not declared in schema' };
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
    return { field, message: `Unsupported value: supported values: ${allowed}` };
  }
  return { field, message: error.message ?? `failed ${error.keyword}` };
}

/** `/spec/tolerations/0/effect` becomes `spec.tolerations[0].effect`, the API server's spelling. */
function fieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, token) => (/^\d+$/.test(token) ? `${path}[${token}]` : path ? `${path}.${token}` : token), '');
}
