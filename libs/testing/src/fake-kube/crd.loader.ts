import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { CustomResourceDefinition } from './custom-resource.types.js';

/** The repository's ModelDeployment CRD, which the fake server serves unless told otherwise. */
export const FOCAL_CRD_FILE = fileURLToPath(
  new URL('../../../../crds/modeldeployments.focal.dev.yaml', import.meta.url),
);

/** Every CustomResourceDefinition in a (possibly multi-document) YAML file. */
export function loadCrdFile(path: string): CustomResourceDefinition[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((document) => document.toJS() as unknown)
    .filter((object): object is CustomResourceDefinition => isCrd(object));
}

function isCrd(object: unknown): boolean {
  const candidate = object as Partial<CustomResourceDefinition> | null;
  return candidate?.kind === 'CustomResourceDefinition' && candidate.apiVersion === 'apiextensions.k8s.io/v1';
}
