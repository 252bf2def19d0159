/** What a request path addresses, parsed the way the API server's router does. */
export type ApiRoute =
  | { kind: 'discovery'; document: 'api' | 'apis' | 'version' }
  | { kind: 'groupVersion'; group: string; version: string }
  | {
      kind: 'resource';
      group: string;
      version: string;
      plural: string;
      /** Undefined for cluster-wide requests, such as listing a namespaced resource across namespaces. */
      namespace?: string;
      name?: string;
      subresource?: string;
    }
  | { kind: 'unknown' };

const DISCOVERY: Record<string, 'api' | 'apis' | 'version'> = { '/api': 'api', '/apis': 'apis', '/version': 'version' };

/**
 * `/api/v1/...` is the core group, `/apis/{group}/{version}/...` the others; below them come
 * `[namespaces/{ns}/]{plural}[/{name}[/{subresource}]]`.
 */
export function parseApiPath(pathname: string): ApiRoute {
  const trimmed = pathname.replace(/\/+$/, '');
  const discovery = DISCOVERY[trimmed];
  if (discovery) return { kind: 'discovery', document: discovery };
  const segments = trimmed
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  const prefix = groupVersionOf(segments);
  if (!prefix) return { kind: 'unknown' };
  const { group, version, rest } = prefix;
  if (rest.length === 0) return { kind: 'groupVersion', group, version };
  const namespaced = rest[0] === 'namespaces' && rest.length >= 3;
  const namespace = namespaced ? rest[1] : undefined;
  const [plural, name, subresource, ...extra] = namespaced ? rest.slice(2) : rest;
  if (!plural || extra.length > 0) return { kind: 'unknown' };
  return { kind: 'resource', group, version, plural, namespace, name, subresource };
}

function groupVersionOf(segments: string[]): { group: string; version: string; rest: string[] } | undefined {
  if (segments[0] === 'api' && segments[1]) return { group: '', version: segments[1], rest: segments.slice(2) };
  if (segments[0] === 'apis' && segments[1] && segments[2]) {
    return { group: segments[1], version: segments[2], rest: segments.slice(3) };
  }
  return undefined;
}
