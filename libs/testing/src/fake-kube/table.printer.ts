import type { KubeObject } from './kube-object.js';
import { jsonPathOf, readPath } from './object-path.js';
import type { PrinterColumn, ResourceType } from './resource-type.js';

const NAME_COLUMN: PrinterColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  jsonPath: '.metadata.name',
  description: 'Name must be unique within a namespace.',
};
const AGE_COLUMN: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'CreationTimestamp of the object.',
};

/** kubectl asks for server-side printing with `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. */
export function wantsTable(accept: string | undefined): boolean {
  return /;\s*as=Table/.test(accept ?? '');
}

/**
 * A meta.k8s.io/v1 Table, so `kubectl get` shows a custom resource's additionalPrinterColumns.
 * Columns read simple dotted JSON paths; date columns show an age, as the real table convertor does.
 */
export function toTable(
  type: ResourceType,
  objects: KubeObject[],
  resourceVersion: string,
  now = Date.now(),
): Record<string, unknown> {
  const columns = [NAME_COLUMN, ...(type.printerColumns ?? [AGE_COLUMN])];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map(({ name, type: columnType, format, description, priority }) => ({
      name,
      type: columnType,
      format: format ?? '',
      description: description ?? '',
      priority: priority ?? 0,
    })),
    rows: objects.map((object) => ({
      cells: columns.map((column) => cell(object, column, now)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata },
    })),
  };
}

function cell(object: KubeObject, column: PrinterColumn, now: number): unknown {
  const value = readPath(object, jsonPathOf(column.jsonPath));
  if (value === undefined || value === null) return null;
  if (column.type === 'date' && typeof value === 'string') return humanDuration(now - Date.parse(value));
  return value;
}

/** The API server's short ages: 42s, 3m5s, 17m, 5h2m, 30h, 3d4h, 12d. */
function humanDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  const [minutes, hours, days] = [Math.floor(seconds / 60), Math.floor(seconds / 3600), Math.floor(seconds / 86400)];
  if (seconds < 120) return `${seconds}s`;
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (days < 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  return `${days}d`;
}
