import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { IntegrityError } from '../model-store.errors.js';

/** What the source announced about a file; absent fields are not checked. */
export interface ExpectedContent {
  readonly size?: number | undefined;
  /** sha256 hex: the hub's LFS oid, a `#sha256=` pin or a manifest entry. */
  readonly sha256?: string | undefined;
  /** Git blob sha1 hex: the hub's `oid` for files stored in git rather than LFS. */
  readonly gitBlobOid?: string | undefined;
}

/** Throws IntegrityError when the file at `path` is not what was announced. */
export async function verifyContent(path: string, expected: ExpectedContent, file: string): Promise<void> {
  const { size } = await stat(path);
  if (expected.size !== undefined && size !== expected.size) {
    throw new IntegrityError(file, `${expected.size} bytes`, `${size} bytes`);
  }
  const digests = await hashFile(path, size, expected);
  if (expected.sha256 !== undefined && digests.sha256 !== expected.sha256.toLowerCase()) {
    throw new IntegrityError(file, `sha256 ${expected.sha256}`, `sha256 ${digests.sha256}`);
  }
  if (expected.gitBlobOid !== undefined && digests.gitBlobOid !== expected.gitBlobOid.toLowerCase()) {
    throw new IntegrityError(file, `git blob ${expected.gitBlobOid}`, `git blob ${digests.gitBlobOid}`);
  }
}

/** Computes only the digests that will be compared, in one read. */
async function hashFile(
  path: string,
  size: number,
  expected: ExpectedContent,
): Promise<{ sha256?: string; gitBlobOid?: string }> {
  const sha256 = expected.sha256 === undefined ? undefined : createHash('sha256');
  // Git hashes a blob as sha1("blob <size>\0" + content).
  const gitSha1 = expected.gitBlobOid === undefined ? undefined : createHash('sha1').update(`blob ${size}\0`);
  const hashes = [sha256, gitSha1].filter((hash): hash is Hash => hash !== undefined);
  if (hashes.length === 0) return {};
  for await (const chunk of createReadStream(path)) for (const hash of hashes) hash.update(chunk as Buffer);
  return { sha256: sha256?.digest('hex'), gitBlobOid: gitSha1?.digest('hex') };
}
