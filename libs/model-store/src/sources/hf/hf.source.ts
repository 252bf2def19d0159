import { join } from 'node:path';
import type { HfModelRef } from '../../model-ref.js';
import type { EnsuredModel, FetchRequest, ModelSource } from '../../model-source.js';
import type { ResolvedModelStoreOptions } from '../../model-store.options.js';
import { ModelNotFoundError, OfflineError } from '../../model-store.errors.js';
import { FileSelection } from '../../files/file-selection.js';
import { listFiles } from '../../files/list-files.js';
import { isSourceUnavailable } from '../../fetch/http-errors.js';
import { ensureDownloaded } from '../../fetch/locked-download.js';
import { HfApiClient } from './hf-api.client.js';
import type { HfTreeFile } from './hf-api.types.js';
import { HfRepoCache } from './hf-repo-cache.js';

const COMMIT_SHA = /^[0-9a-f]{40}$/;

/**
 * Hugging Face hub repos: the revision is pinned to a commit (revision API), the commit's files
 * are listed with sizes and hashes (tree API), the selected ones are downloaded into a
 * huggingface_hub-compatible cache, and `dir` is the commit's snapshot folder.
 */
export class HfSource implements ModelSource<HfModelRef> {
  private readonly api: HfApiClient;
  private readonly hubDir: string;

  constructor(private readonly options: ResolvedModelStoreOptions) {
    this.api = new HfApiClient(options);
    this.hubDir = join(options.cacheDir, 'hub');
  }

  async ensure(ref: HfModelRef, request: FetchRequest): Promise<EnsuredModel<HfModelRef>> {
    const cache = new HfRepoCache(this.hubDir, ref.repo);
    const selection = new FileSelection(request.patterns);
    if (this.options.offline) return this.fromCache(ref, cache, selection, 'offline mode is on (HF_HUB_OFFLINE)');
    try {
      return await this.fromHub(ref, cache, selection, request);
    } catch (error) {
      if (!isSourceUnavailable(error) || request.signal?.aborted) throw error;
      // As huggingface_hub does: an unreachable hub is no reason to fail when the cache already has the files.
      return this.fromCache(ref, cache, selection, `the hub is unavailable (${(error as Error).message})`).catch(() => {
        throw error;
      });
    }
  }

  private async fromHub(
    ref: HfModelRef,
    cache: HfRepoCache,
    selection: FileSelection,
    request: FetchRequest,
  ): Promise<EnsuredModel<HfModelRef>> {
    const commit = await this.api.commitSha(ref, request.signal);
    const files = this.select(ref, await this.api.listFiles(ref, commit, request.signal), selection);
    for (const file of files) await this.ensureFile(ref, cache, commit, file, request);
    if (ref.revision !== commit) await cache.writeRef(ref.revision, commit);
    return { dir: cache.snapshotDir(commit), ref, files: files.map((file) => file.path) };
  }

  private select(ref: HfModelRef, tree: HfTreeFile[], selection: FileSelection): HfTreeFile[] {
    const { files, missingPaths } = selection.select(tree.map((file) => file.path));
    if (missingPaths.length > 0) throw new ModelNotFoundError(`${ref.uri}: file not found: ${missingPaths.join(', ')}`);
    if (files.length === 0) throw new ModelNotFoundError(`${ref.uri}: no file matches ${selection.describe()}`);
    const wanted = new Set(files);
    return tree.filter((file) => wanted.has(file.path)).sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  private async ensureFile(
    ref: HfModelRef,
    cache: HfRepoCache,
    commit: string,
    file: HfTreeFile,
    request: FetchRequest,
  ): Promise<void> {
    if ((await cache.snapshotFileSize(commit, file.path)) === file.size) return;
    // LFS files are keyed (and verified) by their sha256, git files by their git blob oid, as in huggingface_hub.
    const blob = file.lfs?.oid ?? file.oid;
    const expected =
      file.lfs === undefined ? { size: file.size, gitBlobOid: file.oid } : { size: file.size, sha256: file.lfs.oid };
    const fetchRequest = {
      url: this.api.fileUrl(ref.repo, commit, file.path),
      dest: cache.blobPath(blob),
      label: file.path,
      what: this.api.describe(ref, file.path),
      accessHint: this.api.accessHint,
      expected,
      token: this.options.token,
      onProgress: request.onProgress,
      signal: request.signal,
    };
    await ensureDownloaded(fetchRequest, cache.lockPath(blob), this.options);
    await cache.linkIntoSnapshot(commit, file.path, blob);
  }

  private async fromCache(
    ref: HfModelRef,
    cache: HfRepoCache,
    selection: FileSelection,
    reason: string,
  ): Promise<EnsuredModel<HfModelRef>> {
    const commit = COMMIT_SHA.test(ref.revision) ? ref.revision : await cache.readRef(ref.revision);
    if (commit === undefined) {
      throw new OfflineError(
        `${ref.uri}: ${reason}, and the cache has no ref "${ref.revision}" under ${cache.repoDir}`,
      );
    }
    const dir = cache.snapshotDir(commit);
    const { files, missingPaths } = selection.select(await listFiles(dir).catch(() => []));
    if (missingPaths.length > 0 || files.length === 0) {
      const missing = missingPaths.length > 0 ? missingPaths.join(', ') : selection.describe();
      throw new OfflineError(`${ref.uri}: ${reason}, and snapshot ${dir} lacks ${missing}`);
    }
    return { dir, ref, files };
  }
}
