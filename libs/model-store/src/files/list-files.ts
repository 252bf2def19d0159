import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Metadata folders that are not model files: git clones and huggingface_hub's local_dir bookkeeping. */
const SKIPPED_DIRECTORIES = new Set(['.git', '.cache']);
/** Partial downloads sit beside their final names until renamed. */
const PARTIAL_SUFFIX = '.incomplete';

/**
 * Regular files under `dir` as sorted `/`-separated relative paths. Symlinks are followed,
 * because hub snapshots are symlinks into the blob store; dangling ones are skipped.
 */
export async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  await walk(dir, '', found);
  return found.sort();
}

async function walk(root: string, prefix: string, found: string[]): Promise<void> {
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    const kind = entry.isSymbolicLink() ? await targetKind(join(root, relative)) : entryKind(entry);
    if (kind === 'directory' && !SKIPPED_DIRECTORIES.has(entry.name)) await walk(root, relative, found);
    if (kind === 'file' && !entry.name.endsWith(PARTIAL_SUFFIX)) found.push(relative);
  }
}

function entryKind(entry: { isFile(): boolean; isDirectory(): boolean }): 'file' | 'directory' | 'other' {
  if (entry.isFile()) return 'file';
  return entry.isDirectory() ? 'directory' : 'other';
}

async function targetKind(path: string): Promise<'file' | 'directory' | 'other'> {
  const stats = await stat(path).catch(() => undefined);
  return stats === undefined ? 'other' : entryKind(stats);
}
