import { createHash } from 'node:crypto';

/** One file of a fake repo, with the hashes the real hub reports for it. */
export interface FakeFile {
  readonly content: Buffer;
  readonly size: number;
  /** sha256 of the content: what the hub reports as `lfs.oid` and uses as the CDN key. */
  readonly sha256: string;
  /** Git object id the tree API reports as `oid`: of the content, or of the LFS pointer for LFS files. */
  readonly gitOid: string;
  readonly lfs: boolean;
}

/** Git hashes a blob as sha1("blob <size>\0<content>"). */
export function gitBlobOid(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

export function sha256Hex(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The pointer text git-lfs commits in place of a large file. */
export function lfsPointer(sha256: string, size: number): Buffer {
  return Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`);
}

export function makeFakeFile(content: Buffer | string, lfsThreshold: number): FakeFile {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
  const sha256 = sha256Hex(bytes);
  const lfs = bytes.length >= lfsThreshold;
  const gitOid = gitBlobOid(lfs ? lfsPointer(sha256, bytes.length) : bytes);
  return { content: bytes, size: bytes.length, sha256, gitOid, lfs };
}
