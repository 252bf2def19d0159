/** The hub URL shapes the fake serves, parsed from a request path. */
export type FakeHubRoute =
  | { readonly kind: 'revision'; readonly repo: string; readonly revision: string }
  | {
      readonly kind: 'tree';
      readonly repo: string;
      readonly revision: string;
      readonly path: string;
      readonly recursive: boolean;
      readonly cursor: number;
    }
  | { readonly kind: 'resolve'; readonly repo: string; readonly revision: string; readonly path: string }
  | { readonly kind: 'cdn'; readonly sha256: string; readonly repo: string; readonly path: string }
  | { readonly kind: 'unknown' };

/**
 * Splits before decoding so that a percent-encoded revision such as `refs%2Fpr%2F1`
 * stays one segment, as on the real hub.
 */
export function parseRoute(rawUrl: string): FakeHubRoute {
  const url = new URL(rawUrl, 'http://fake-hub.invalid');
  const segments = url.pathname.split('/').slice(1).map(decodeSegment);
  if (segments.some((segment) => segment === undefined)) return { kind: 'unknown' };
  const parts = segments as string[];
  if (parts[0] === 'api' && parts[1] === 'models') return parseApiRoute(parts.slice(2), url.searchParams);
  if (parts[0] === 'cdn' && parts.length === 2) return parseCdnRoute(parts[1]!, url.searchParams);
  if (parts[2] === 'resolve' && parts.length >= 5) {
    return { kind: 'resolve', repo: `${parts[0]}/${parts[1]}`, revision: parts[3]!, path: parts.slice(4).join('/') };
  }
  return { kind: 'unknown' };
}

function parseApiRoute(parts: string[], query: URLSearchParams): FakeHubRoute {
  const [org, name, action, revision, ...rest] = parts;
  if (org === undefined || name === undefined || revision === undefined) return { kind: 'unknown' };
  const repo = `${org}/${name}`;
  if (action === 'revision' && rest.length === 0) return { kind: 'revision', repo, revision };
  if (action !== 'tree') return { kind: 'unknown' };
  const recursive = query.get('recursive') === 'true' || query.get('recursive') === '1';
  const cursor = Number(query.get('cursor') ?? '0');
  return {
    kind: 'tree',
    repo,
    revision,
    path: rest.join('/'),
    recursive,
    cursor: Number.isInteger(cursor) ? cursor : 0,
  };
}

function parseCdnRoute(sha256: string, query: URLSearchParams): FakeHubRoute {
  return { kind: 'cdn', sha256, repo: query.get('repo') ?? '', path: query.get('file') ?? '' };
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
