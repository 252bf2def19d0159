import type { HttpsModelRef } from '../../model-ref.js';
import type { EnsuredModel, FetchRequest, ModelSource } from '../../model-source.js';
import type { ResolvedModelStoreOptions } from '../../model-store.options.js';
import { InvalidModelIdError, ModelNotFoundError, OfflineError } from '../../model-store.errors.js';
import type { ExpectedContent } from '../../fetch/content-check.js';
import { getJson } from '../../fetch/http-json.js';
import { isSourceUnavailable } from '../../fetch/http-errors.js';
import { ensureDownloaded } from '../../fetch/locked-download.js';
import { fileSize } from '../../files/atomic-fs.js';
import { FileSelection } from '../../files/file-selection.js';
import { listFiles } from '../../files/list-files.js';
import { isSafeRelativePath } from '../../files/safe-relative-path.js';
import { FOLDER_MANIFEST_NAME, parseFolderManifest } from './folder-manifest.js';
import { UrlCache } from './url-cache.js';

/** Plain servers get no credentials: the hub token is for the hub only. */
const ACCESS_HINT = 'The server refused access; the model store sends no credentials to plain URLs.';

/**
 * Plain http(s) URLs. A single file (`…/model.onnx`, optionally `#sha256=` pinned) is downloaded
 * once and then served from the cache: URLs are treated as immutable, so publish new versions
 * under new URLs. A folder URL (`…/`) lists its files in `focal-files.json`, re-read on every
 * online ensure so that new or changed entries are picked up.
 */
export class HttpsSource implements ModelSource<HttpsModelRef> {
  constructor(private readonly options: ResolvedModelStoreOptions) {}

  ensure(ref: HttpsModelRef, request: FetchRequest): Promise<EnsuredModel<HttpsModelRef>> {
    return ref.kind === 'file' ? this.ensureSingleFile(ref, request) : this.ensureFolder(ref, request);
  }

  private async ensureSingleFile(ref: HttpsModelRef, request: FetchRequest): Promise<EnsuredModel<HttpsModelRef>> {
    const name = fileNameOf(ref);
    const selection = new FileSelection(request.patterns);
    if (!selection.matches(name))
      throw new ModelNotFoundError(`${ref.uri} is the single file ${name}, which ${selection.describe()} excludes`);
    const cache = new UrlCache(this.options.cacheDir, ref.url);
    const result = { dir: cache.dir, ref, files: [name] };
    if ((await fileSize(cache.filePath(name))) !== undefined) return result;
    if (this.options.offline)
      throw new OfflineError(`${ref.uri}: offline mode is on (HF_HUB_OFFLINE) and ${cache.dir} lacks ${name}`);
    await this.download(cache, { path: name, url: ref.url, expected: { sha256: ref.sha256 } }, request);
    return result;
  }

  private async ensureFolder(ref: HttpsModelRef, request: FetchRequest): Promise<EnsuredModel<HttpsModelRef>> {
    const cache = new UrlCache(this.options.cacheDir, ref.url);
    const selection = new FileSelection(request.patterns);
    if (this.options.offline) return this.fromCache(ref, cache, selection, 'offline mode is on (HF_HUB_OFFLINE)');
    try {
      return await this.fromServer(ref, cache, selection, request);
    } catch (error) {
      if (!isSourceUnavailable(error) || request.signal?.aborted) throw error;
      return this.fromCache(ref, cache, selection, `the server is unavailable (${(error as Error).message})`).catch(
        () => {
          throw error;
        },
      );
    }
  }

  private async fromServer(
    ref: HttpsModelRef,
    cache: UrlCache,
    selection: FileSelection,
    request: FetchRequest,
  ): Promise<EnsuredModel<HttpsModelRef>> {
    const manifestUrl = new URL(FOLDER_MANIFEST_NAME, ref.url).href;
    const context = { what: manifestUrl, accessHint: ACCESS_HINT };
    const { body } = await getJson<unknown>(
      manifestUrl,
      { token: undefined, signal: request.signal, context },
      this.options,
    );
    const entries = parseFolderManifest(body, manifestUrl);
    const { files, missingPaths } = selection.select(entries.map((entry) => entry.path));
    if (missingPaths.length > 0) throw new ModelNotFoundError(`${ref.uri}: file not found: ${missingPaths.join(', ')}`);
    if (files.length === 0) throw new ModelNotFoundError(`${ref.uri}: no file matches ${selection.describe()}`);
    for (const entry of entries.filter((e) => files.includes(e.path))) {
      const url = new URL(entry.path.split('/').map(encodeURIComponent).join('/'), ref.url).href;
      await this.download(
        cache,
        { path: entry.path, url, expected: { size: entry.size, sha256: entry.sha256 } },
        request,
      );
    }
    return { dir: cache.dir, ref, files: files.sort() };
  }

  private async download(
    cache: UrlCache,
    file: { path: string; url: string; expected: ExpectedContent },
    request: FetchRequest,
  ): Promise<void> {
    const fetchRequest = {
      url: file.url,
      dest: cache.filePath(file.path),
      label: file.path,
      what: file.url,
      accessHint: ACCESS_HINT,
      expected: file.expected,
      token: undefined,
      onProgress: request.onProgress,
      signal: request.signal,
    };
    await ensureDownloaded(fetchRequest, cache.lockPath(file.path), this.options);
  }

  private async fromCache(
    ref: HttpsModelRef,
    cache: UrlCache,
    selection: FileSelection,
    reason: string,
  ): Promise<EnsuredModel<HttpsModelRef>> {
    const { files, missingPaths } = selection.select(await listFiles(cache.dir).catch(() => []));
    if (missingPaths.length > 0 || files.length === 0) {
      const missing = missingPaths.length > 0 ? missingPaths.join(', ') : selection.describe();
      throw new OfflineError(`${ref.uri}: ${reason}, and ${cache.dir} lacks ${missing}`);
    }
    return { dir: cache.dir, ref, files };
  }
}

/** The cached file is named after the URL's last path segment. */
function fileNameOf(ref: HttpsModelRef): string {
  const segment = new URL(ref.url).pathname.split('/').pop() ?? '';
  let name = '';
  try {
    name = decodeURIComponent(segment);
  } catch {
    // Malformed percent-encoding: refused below like any other unusable name.
  }
  if (!isSafeRelativePath(name) || name.includes('/'))
    throw new InvalidModelIdError(`${ref.uri}: cannot name a file after this URL`);
  return name;
}
