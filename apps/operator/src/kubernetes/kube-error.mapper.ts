import { ApiException } from '@kubernetes/client-node';
import { KubeApiError } from '../cluster/kube-api.error.js';

/**
 * client-node 1.x throws ApiException with the HTTP code in `code` and the raw Status text in
 * `body`; watches fail with a plain Error carrying `statusCode`. Both become KubeApiError, with the
 * Status reason and message when the body has them. Anything else (network errors) passes through.
 */
export function toKubeApiError(error: unknown): unknown {
  if (error instanceof ApiException) {
    const status = parseStatus(error.body);
    return new KubeApiError(error.code, status.reason, status.message ?? `HTTP ${error.code}: ${error.message}`);
  }
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  if (error instanceof Error && typeof statusCode === 'number') {
    return new KubeApiError(statusCode, undefined, `HTTP ${statusCode}: ${error.message}`);
  }
  return error;
}

function parseStatus(body: unknown): { reason?: string; message?: string } {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body) as unknown;
    } catch {
      return body === '' ? {} : { message: body };
    }
  }
  if (typeof value !== 'object' || value === null) return {};
  const { reason, message } = value as { reason?: unknown; message?: unknown };
  return {
    ...(typeof reason === 'string' ? { reason } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
}
