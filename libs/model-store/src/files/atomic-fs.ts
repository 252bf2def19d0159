import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Readers (other processes included) see the old file or the new one, never a half-written one. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = tempName(path);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
}

/** Creates or replaces a symlink in one step, so a concurrent reader never finds the name missing. */
export async function symlinkAtomic(target: string, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = tempName(path);
  try {
    await symlink(target, temp);
    await rename(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
}

/** Size of a regular file (following symlinks), or undefined when there is none. */
export async function fileSize(path: string): Promise<number | undefined> {
  const stats = await stat(path).catch(() => undefined);
  return stats?.isFile() ? stats.size : undefined;
}

function tempName(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}
