import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, KubeApiError } from './kube-status.js';

const MAX_BODY_BYTES = 3 * 1024 * 1024;

/**
 * Reads a JSON request body; an empty body is undefined. Bodies over 3 MiB are refused, as etcd
 * would, and protobuf or CBOR bodies (kubectl's choice for built-ins) get 415 so clients fall back to JSON.
 */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const contentType = request.headers['content-type'] ?? 'application/json';
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(contentType)) {
    throw new KubeApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format: ${contentType}`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new KubeApiError(413, 'BadRequest', 'request entity too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('the request body is not valid JSON');
  }
}

export function sendJson(response: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

/** Every failure goes out as a Status object; anything unexpected is a 500 InternalError. */
export function sendError(response: ServerResponse, error: unknown): void {
  const apiError =
    error instanceof KubeApiError
      ? error
      : new KubeApiError(
          500,
          'InternalError',
          `Internal error occurred: ${error instanceof Error ? error.message : String(error)}`,
        );
  if (response.headersSent) {
    response.destroy();
    return;
  }
  sendJson(response, apiError.code, apiError.toStatus());
}
