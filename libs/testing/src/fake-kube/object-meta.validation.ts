import type { ObjectMeta } from './kube-object.js';
import type { ResourceType, ValidationCause } from './resource-type.js';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * The ObjectMeta rules the real API server enforces and that controllers most often trip over:
 * object names, and label keys and values (a model id such as `org/name` is not a label value).
 */
export function validateObjectMeta(type: ResourceType, metadata: ObjectMeta): ValidationCause[] {
  return [...validateName(type, metadata.name ?? ''), ...validateLabels(metadata.labels ?? {})];
}

function validateName(type: ResourceType, name: string): ValidationCause[] {
  const field = 'metadata.name';
  if (name === '') return [{ field, message: 'Required value: name or generateName is required' }];
  if (type.nameRule === 'dns1035Label') {
    if (name.length <= 63 && DNS1035_LABEL.test(name)) return [];
    return [
      {
        field,
        message: `Invalid value: "${name}": a DNS-1035 label must start with a letter, contain only lowercase alphanumerics and '-', and be at most 63 characters`,
      },
    ];
  }
  if (name.length <= 253 && DNS1123_SUBDOMAIN.test(name)) return [];
  return [
    {
      field,
      message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`,
    },
  ];
}

function validateLabels(labels: Record<string, string>): ValidationCause[] {
  return Object.entries(labels).flatMap(([key, value]) => [
    ...(isQualifiedName(key)
      ? []
      : [
          {
            field: 'metadata.labels',
            message: `Invalid value: "${key}": name part must be a valid label name, with an optional DNS subdomain prefix and '/'`,
          },
        ]),
    ...(typeof value === 'string' && value.length <= 63 && LABEL_VALUE.test(value)
      ? []
      : [
          {
            field: 'metadata.labels',
            message: `Invalid value: "${String(value)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', at most 63 characters`,
          },
        ]),
  ]);
}

function isQualifiedName(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1] as string;
  const prefix = parts.length === 2 ? (parts[0] as string) : undefined;
  const prefixOk = prefix === undefined || (prefix.length <= 253 && DNS1123_SUBDOMAIN.test(prefix));
  return prefixOk && name.length <= 63 && LABEL_NAME.test(name);
}

/** For generateName: the API server appends five random characters from this alphabet. */
export function generatedName(prefix: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const suffix = Array.from({ length: 5 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
  return `${prefix}${suffix}`;
}
