/**
 * The `wait` preference of an RFC 7240 `Prefer` header: how many seconds the client is willing to wait.
 * Several headers and comma-separated preferences are allowed; the first `wait` wins (RFC 7240 §2).
 * An unparsable value is ignored, as the RFC asks of preferences a server does not understand.
 */
export function preferredWaitSeconds(header: string | string[] | undefined): number | undefined {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  for (const preference of values.flatMap((value) => value.split(','))) {
    const [token, ...rest] = preference.split(';')[0].split('=');
    if (token.trim().toLowerCase() !== 'wait' || rest.length !== 1) continue;
    const raw = rest[0].trim().replace(/^"(.*)"$/, '$1');
    if (/^\d+$/.test(raw)) return Number(raw);
  }
  return undefined;
}
