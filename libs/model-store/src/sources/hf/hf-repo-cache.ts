import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileSize, symlinkAtomic, writeFileAtomic } from '../../files/atomic-fs.js';

/**
 * One repo's folder in huggingface_hub's cache layout, so Python tools share the cache:
 *
 *   <hub>/models--org--name/refs/<revision>                 commit sha the revision pointed at
 *   <hub>/models--org--name/blobs/<sha256 | git oid>         file contents, shared across commits
 *   <hub>/models--org--name/blobs/<…>.incomplete             partial download being resumed
 *   <hub>/models--org--name/snapshots/<commit>/<path>        relative symlink to ../../blobs/<…>
 *   <hub>/.locks/models--org--name/<blob>.focal-lock         download lock (proper-lockfile)
 *
 * Locks get their own suffix: huggingface_hub's `<blob>.lock` is a file, ours a directory.
 */
export class HfRepoCache {
  readonly repoDir: string;
  private readonly lockDir: string;

  constructor(hubDir: string, repo: string) {
    const folder = `models--${repo.replaceAll('/', '--')}`;
    this.repoDir = join(hubDir, folder);
    this.lockDir = join(hubDir, '.locks', folder);
  }

  blobPath(blob: string): string {
    return join(this.repoDir, 'blobs', blob);
  }

  lockPath(blob: string): string {
    return join(this.lockDir, `${blob}.focal-lock`);
  }

  snapshotDir(commit: string): string {
    return join(this.repoDir, 'snapshots', commit);
  }

  snapshotPath(commit: string, file: string): string {
    return join(this.snapshotDir(commit), ...file.split('/'));
  }

  /** Size of the snapshot file (through its symlink), undefined if it is missing or dangling. */
  snapshotFileSize(commit: string, file: string): Promise<number | undefined> {
    return fileSize(this.snapshotPath(commit, file));
  }

  async linkIntoSnapshot(commit: string, file: string, blob: string): Promise<void> {
    const link = this.snapshotPath(commit, file);
    await symlinkAtomic(relative(dirname(link), this.blobPath(blob)), link);
  }

  async readRef(revision: string): Promise<string | undefined> {
    const text = await readFile(this.refPath(revision), 'utf8').catch(() => undefined);
    return text?.trim() || undefined;
  }

  writeRef(revision: string, commit: string): Promise<void> {
    return writeFileAtomic(this.refPath(revision), commit);
  }

  /** `refs/pr/1` nests like in huggingface_hub: `refs/refs/pr/1`. */
  private refPath(revision: string): string {
    return join(this.repoDir, 'refs', ...revision.split('/'));
  }
}
