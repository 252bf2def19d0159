/** Small JSON-over-fetch helpers; failures carry the status and the server's `detail`. */
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
 * What an end-to-end client does per call: POST a ready JSON body and receive the whole response.
 * The body is read to the last byte but not parsed, so client-side JSON.parse is not counted.
 */
export async function postForBytes(url: string, jsonBody: string): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: jsonBody,
  });
  const bytes = await response.arrayBuffer();
  if (!response.ok) throw new HttpError(response.status, Buffer.from(bytes).toString('utf8'), url);
  return bytes.byteLength;
}

/** The multipart variant of postForBytes: the image as a file part, the other fields as text parts. */
export async function postFormForBytes(
  url: string,
  image: Buffer,
  fields: Record<string, string> = {},
): Promise<number> {
  const form = new FormData();
  form.append('images', new Blob([new Uint8Array(image)], { type: 'image/jpeg' }), 'image.jpg');
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const response = await fetch(url, { method: 'POST', body: form });
  const bytes = await response.arrayBuffer();
  if (!response.ok) throw new HttpError(response.status, Buffer.from(bytes).toString('utf8'), url);
  return bytes.byteLength;
}
