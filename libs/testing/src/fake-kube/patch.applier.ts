import { applyJsonPatch, JsonPatchError } from './json-patch.js';
import { badRequest, KubeApiError, unsupportedPatchType } from './kube-status.js';
import { applyMergePatch, stripStrategicDirectives } from './merge-patch.js';

const PATCHERS: Record<string, (target: unknown, patch: unknown) => unknown> = {
  'application/json-patch+json': applyJsonPatch,
  'application/merge-patch+json': applyMergePatch,
  'application/strategic-merge-patch+json': (target, patch) => applyMergePatch(target, stripStrategicDirectives(patch)),
};

/**
 * Applies a PATCH body according to its Content-Type, as the API server does. Server-side apply
 * (`application/apply-patch+yaml`) is not supported and answers 415 like any unknown type.
 */
export function applyPatch(contentType: string | undefined, target: unknown, patch: unknown): unknown {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const patcher = PATCHERS[mediaType];
  if (!patcher) throw unsupportedPatchType(mediaType || '(none)');
  try {
    return patcher(target, patch);
  } catch (error) {
    throw asApiError(error);
  }
}

function asApiError(error: unknown): unknown {
  if (!(error instanceof JsonPatchError)) return error;
  if (error.kind === 'malformed') return badRequest(error.message);
  return new KubeApiError(
    422,
    'Invalid',
    `the server rejected our request due to an error in our request: ${error.message}`,
  );
}
