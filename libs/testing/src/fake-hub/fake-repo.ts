import { createHash } from 'node:crypto';
import { makeFakeFile, type FakeFile } from './fake-file.js';

export type FakeFileContents = Record<string, Buffer | string>;

export interface FakeCommit {
  readonly sha: string;
  readonly files: ReadonlyMap<string, FakeFile>;
}

/** A repo as the hub sees it: branches pointing at immutable commits. */
export class FakeRepo {
  private readonly commits = new Map<string, FakeCommit>();
  private readonly branches = new Map<string, string>();
  private counter = 0;

  constructor(
    readonly id: string,
    readonly isPrivate: boolean,
    private readonly lfsThreshold: number,
  ) {}

  /**
   * Adds a commit on `branch` that changes `files` on top of the branch's current commit
   * (or of main's, for a new branch), the way a push would. Returns the commit sha.
   */
  commit(files: FakeFileContents, branch: string): string {
    const parent = this.resolve(branch) ?? this.resolve('main');
    const merged = new Map(parent?.files ?? []);
    for (const [path, content] of Object.entries(files)) merged.set(path, makeFakeFile(content, this.lfsThreshold));
    const sha = this.commitSha(merged, parent?.sha);
    this.commits.set(sha, { sha, files: merged });
    this.branches.set(branch, sha);
    return sha;
  }

  /** A branch name or a full commit sha, like the hub accepts in URLs. */
  resolve(revision: string): FakeCommit | undefined {
    const sha = this.branches.get(revision) ?? revision;
    return this.commits.get(sha);
  }

  allCommits(): Iterable<FakeCommit> {
    return this.commits.values();
  }

  /** Commit shas must differ even for identical trees, as real commits carry a parent and a date. */
  private commitSha(files: ReadonlyMap<string, FakeFile>, parent: string | undefined): string {
    const hash = createHash('sha1').update(`${this.id}\0${parent ?? ''}\0${this.counter++}`);
    for (const [path, file] of [...files].sort(([a], [b]) => a.localeCompare(b)))
      hash.update(`${path}\0${file.gitOid}\0`);
    return hash.digest('hex');
  }
}
