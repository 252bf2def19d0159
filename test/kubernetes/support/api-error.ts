import { ApiException } from '@kubernetes/client-node';
import type { KubeStatus } from '../../../libs/testing/src/fake-kube/index.js';

/**
 * Awaits a client-node call that must fail. client-node 1.x throws ApiException with the HTTP code
 * in `code` and the raw response text in `body`, so the Status object has to be parsed from it.
 */
export async function apiError(call: Promise<unknown>): Promise<{ code: number; status: KubeStatus }> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof ApiException)) throw error;
    const body = error.body as unknown;
    const status = (typeof body === 'string' && body !== '' ? JSON.parse(body) : body) as KubeStatus;
    return { code: error.code, status };
  }
  throw new Error('expected the Kubernetes API call to fail');
}
