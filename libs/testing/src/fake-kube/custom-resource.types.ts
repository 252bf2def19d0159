import type { KubeObject } from './kube-object.js';
import { jsonPathOf, readPath } from './object-path.js';
import type { PrinterColumn, ResourceType, ScaleSubresource } from './resource-type.js';
import { compileStructuralSchema, type OpenApiSchema } from './structural-schema.validator.js';

/** The parts of an apiextensions.k8s.io/v1 CustomResourceDefinition the fake server serves from. */
export interface CustomResourceDefinition {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: { plural: string; singular?: string; kind: string; listKind?: string; shortNames?: string[] };
    versions: CustomResourceVersion[];
  };
}

interface CustomResourceVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: { openAPIV3Schema?: OpenApiSchema };
  additionalPrinterColumns?: PrinterColumn[];
  subresources?: {
    status?: Record<string, never>;
    scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  };
}

/** One ResourceType per served version, validated, defaulted and pruned by the version's schema. */
export function resourceTypesFromCrd(crd: CustomResourceDefinition): ResourceType[] {
  return crd.spec.versions.filter((v) => v.served).map((version) => resourceTypeOf(crd, version));
}

function resourceTypeOf(crd: CustomResourceDefinition, version: CustomResourceVersion): ResourceType {
  const { names } = crd.spec;
  const schema = version.schema?.openAPIV3Schema;
  const validate = schema ? compileStructuralSchema(schema) : undefined;
  return {
    group: crd.spec.group,
    version: version.name,
    plural: names.plural,
    singular: names.singular ?? names.kind.toLowerCase(),
    kind: names.kind,
    listKind: names.listKind ?? `${names.kind}List`,
    shortNames: names.shortNames ?? [],
    namespaced: crd.spec.scope === 'Namespaced',
    statusSubresource: version.subresources?.status !== undefined,
    ...(version.subresources?.scale ? { scale: scaleOf(version.subresources.scale) } : {}),
    ...(version.additionalPrinterColumns ? { printerColumns: version.additionalPrinterColumns } : {}),
    tracksGeneration: true,
    returnsDeletedObject: true,
    custom: true,
    nameRule: 'dns1123Subdomain',
    ...(validate ? { admit: (object: KubeObject, strict: boolean) => validate(object, strict) } : {}),
  };
}

function scaleOf(scale: {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}): ScaleSubresource {
  const selectorPath = scale.labelSelectorPath ? jsonPathOf(scale.labelSelectorPath) : undefined;
  return {
    specReplicasPath: jsonPathOf(scale.specReplicasPath),
    statusReplicasPath: jsonPathOf(scale.statusReplicasPath),
    selector: (object) => {
      const value = selectorPath ? readPath(object, selectorPath) : undefined;
      return typeof value === 'string' ? value : undefined;
    },
  };
}
