import { badRequest } from './kube-status.js';

type Requirement = { key: string; op: 'exists' | 'notExists' } | { key: string; op: 'in' | 'notIn'; values: string[] };

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

/**
 * Parses the `labelSelector` query parameter: equality (`a=b`, `a==b`, `a!=b`), set-based
 * (`a in (x,y)`, `a notin (x)`) and existence (`a`, `!a`) requirements, comma-separated and ANDed.
 */
export function parseLabelSelector(selector: string | null | undefined): LabelMatcher {
  const requirements = splitRequirements(selector ?? '').map(parseRequirement);
  return (labels) => requirements.every((r) => matches(r, labels ?? {}));
}

function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const KEY = String.raw`[A-Za-z0-9][-A-Za-z0-9_./]*`;
const NOT_EXISTS = new RegExp(String.raw`^!\s*(${KEY})$`);
const EQUALITY = new RegExp(String.raw`^(${KEY})\s*(==|!=|=)\s*([-A-Za-z0-9_.]*)$`);
const SET = new RegExp(String.raw`^(${KEY})\s+(in|notin)\s*\(([^)]*)\)$`);
const EXISTS = new RegExp(String.raw`^(${KEY})$`);

function parseRequirement(text: string): Requirement {
  const notExists = NOT_EXISTS.exec(text);
  if (notExists) return { key: notExists[1] as string, op: 'notExists' };
  const equality = EQUALITY.exec(text);
  if (equality) {
    return { key: equality[1] as string, op: equality[2] === '!=' ? 'notIn' : 'in', values: [equality[3] as string] };
  }
  const set = SET.exec(text);
  if (set) {
    const values = (set[3] as string).split(',').map((v) => v.trim());
    return { key: set[1] as string, op: set[2] === 'in' ? 'in' : 'notIn', values };
  }
  const exists = EXISTS.exec(text);
  if (exists) return { key: exists[1] as string, op: 'exists' };
  throw badRequest(`unable to parse requirement: ${text}`);
}

function matches(requirement: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, requirement.key);
  switch (requirement.op) {
    case 'exists':
      return has;
    case 'notExists':
      return !has;
    case 'in':
      return has && requirement.values.includes(labels[requirement.key] as string);
    case 'notIn':
      return !has || !requirement.values.includes(labels[requirement.key] as string);
  }
}

interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** Formats a metav1.LabelSelector as the string the scale subresource reports in status.selector. */
export function formatLabelSelector(selector: {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}): string {
  const labels = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  const expressions = (selector.matchExpressions ?? []).map(formatExpression);
  return [...labels, ...expressions].join(',');
}

function formatExpression(requirement: LabelSelectorRequirement): string {
  const values = `(${(requirement.values ?? []).join(',')})`;
  switch (requirement.operator) {
    case 'In':
      return `${requirement.key} in ${values}`;
    case 'NotIn':
      return `${requirement.key} notin ${values}`;
    case 'DoesNotExist':
      return `!${requirement.key}`;
    default:
      return requirement.key;
  }
}
