import { ModelFetchError } from '../../model-store.errors.js';
import { isSafeRelativePath } from '../../files/safe-relative-path.js';

/**
 * A folder URL (ending in `/`) must serve this file, since plain HTTP has no directory listing:
 *
 *   { "files": [ { "path": "onnx/model.onnx", "size": 1234, "sha256": "<hex>" }, { "path": "config.json" } ] }
 *
 * `size` and `sha256` are optional; when given, downloads are checked against them.
 */
export const FOLDER_MANIFEST_NAME = 'focal-files.json';

export interface FolderManifestEntry {
  readonly path: string;
  readonly size: number | undefined;
  readonly sha256: string | undefined;
}

export function parseFolderManifest(body: unknown, what: string): FolderManifestEntry[] {
  const files = (body as { files?: unknown } | null)?.files;
  if (!Array.isArray(files)) throw invalid(what, `expected {"files": [...]}`);
  return files.map((entry) => parseEntry(entry, what));
}

function parseEntry(entry: unknown, what: string): FolderManifestEntry {
  const e = entry as { path?: unknown; size?: unknown; sha256?: unknown } | null;
  if (typeof e?.path !== 'string' || !isSafeRelativePath(e.path))
    throw invalid(what, `bad path in ${JSON.stringify(entry)}`);
  if (e.size !== undefined && !Number.isSafeInteger(e.size)) throw invalid(what, `bad size for ${e.path}`);
  if (e.sha256 !== undefined && (typeof e.sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(e.sha256))) {
    throw invalid(what, `bad sha256 for ${e.path}`);
  }
  return { path: e.path, size: e.size as number | undefined, sha256: (e.sha256 as string | undefined)?.toLowerCase() };
}

function invalid(what: string, problem: string): ModelFetchError {
  return new ModelFetchError(`${what}: invalid ${FOLDER_MANIFEST_NAME}: ${problem}`, { retriable: false });
}
