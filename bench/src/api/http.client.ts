import { randomBytes } from 'node:crypto';
import http from 'node:http';

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
 * The load generator's connections: kept alive and reused, as a benchmarking client (wrk, hey) or a requests
 * Session would. node:http rather than fetch: on this machine fetch spent 18–28 ms of client CPU receiving a
 * 850 KB JSON body against 9–11 ms here, CPU that at concurrency 8 is taken from the server on the same 2 cores.
 */
const AGENT = new http.Agent({ keepAlive: true });

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

function postBody(url: string, body: Buffer, contentType: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent: AGENT, headers: { 'content-type': contentType, 'content-length': body.length } },
      (response) => {
        const chunks: Buffer[] = [];
        let length = 0;
        response.on('data', (chunk: Buffer) => {
          if (response.statusCode !== 200) chunks.push(chunk);
          length += chunk.length;
        });
        response.on('end', () => {
          if (response.statusCode === 200) resolve(length);
          else reject(new HttpError(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), url));
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
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
