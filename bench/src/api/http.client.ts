import { randomBytes } from 'node:crypto';
import { LoadClient } from './load.client.js';

/**
 * HTTP helpers for the bench: JSON over fetch for control calls, and a lean keep-alive node:http client for the
 * timed calls. Failures carry the status and the server's `detail`.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    url: string,
  ) {
    super(`${url} answered ${status}: ${body.slice(0, 500)}`);
  }
}

export async function postJson<T = unknown>(url: string, body: unknown, timeoutMs = 300_000): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (!response.ok) throw new HttpError(response.status, text, url);
  return JSON.parse(text) as T;
}

export async function getJson<T = unknown>(url: string): Promise<T> {
  const response = await fetch(url);
  const text = await response.text();
  if (!response.ok) throw new HttpError(response.status, text, url);
  return JSON.parse(text) as T;
}

export async function getText(url: string): Promise<string> {
  const response = await fetch(url);
  const text = await response.text();
  if (!response.ok) throw new HttpError(response.status, text, url);
  return text;
}

export async function deleteJson(url: string): Promise<void> {
  const response = await fetch(url, { method: 'DELETE' });
  const text = await response.text();
  if (!response.ok) throw new HttpError(response.status, text, url);
}

/**
 * The timed calls' clients, one per URL: LoadClient (node:http over a keep-alive agent), as a benchmarking client
 * (wrk, hey) or a requests Session would. Not fetch: on this machine fetch spent 18–28 ms of client CPU receiving a
 * 850 KB JSON body against 9–11 ms with node:http, CPU that at concurrency 8 is taken from the server on the same
 * 2 cores.
 */
const CLIENTS = new Map<string, LoadClient>();
const CONNECTIONS = 64;
const TIMEOUT_MS = 300_000;

/**
 * What an end-to-end client does per call: POST a ready body and receive the whole response. The body is read
 * to the last byte but not parsed, so client-side JSON.parse is not counted.
 */
export function postForBytes(url: string, jsonBody: string): Promise<number> {
  return postBody(url, Buffer.from(jsonBody), 'application/json');
}

/** The multipart variant of postForBytes: the image as a file part, the other fields as text parts. */
export function postFormForBytes(url: string, image: Buffer, fields: Record<string, string> = {}): Promise<number> {
  const { body, contentType } = multipartBody(image, fields);
  return postBody(url, body, contentType);
}

/** postForBytes through fetch (undici), the client a Node user reaches for first; the bench shows both. */
export async function postForBytesWithFetch(url: string, jsonBody: string): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: jsonBody,
  });
  const bytes = await response.arrayBuffer();
  if (!response.ok) throw new HttpError(response.status, Buffer.from(bytes).toString('utf8'), url);
  return bytes.byteLength;
}

async function postBody(url: string, body: Buffer, contentType: string): Promise<number> {
  let client = CLIENTS.get(url);
  if (!client) CLIENTS.set(url, (client = new LoadClient(url, CONNECTIONS)));
  const answer = await client.post(body, contentType, TIMEOUT_MS);
  if (answer.status === 0) throw new Error(`${url}: no answer (connection failed or timed out)`);
  if (answer.status !== 200) throw new HttpError(answer.status, answer.errorBody ?? '', url);
  return answer.bytes;
}

/** A multipart/form-data body as curl -F writes it: the image as `images` (image/jpeg), then each text field. */
function multipartBody(image: Buffer, fields: Record<string, string>): { body: Buffer; contentType: string } {
  const boundary = `focal-bench-${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="images"; filename="image.jpg"\r\n` +
        'Content-Type: image/jpeg\r\n\r\n',
    ),
    image,
    Buffer.from('\r\n'),
  ];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
