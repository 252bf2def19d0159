import type { FakeFileContents } from './fake-repo.js';

export interface FakeHubOptions {
  /** Tokens accepted for private repos (`Authorization: Bearer <token>`). */
  tokens?: string[];
  /** Files at least this large are stored as LFS: sha256 in the tree, redirected to the CDN. Default 1024. */
  lfsThreshold?: number;
  /** Redirect LFS downloads to the CDN path, as the hub does. Default true. */
  redirectLfs?: boolean;
  /** Entries per tree API page; more entries are paged with a `Link: <…>; rel="next"` header. Default 1000. */
  treePageSize?: number;
  /**
   * Host name the CDN redirects point at. It must reach the same server but differ from `127.0.0.1`
   * so that clients treat it as another origin and must not forward credentials. Default `localhost`.
   */
  cdnHost?: string;
}

export interface FakeRepoSpec {
  files: FakeFileContents;
  private?: boolean;
}

/** Where a fault applies: a file's transfer, or one of the repo's API calls. */
export type FakeFaultTarget = { repo: string; file: string } | { repo: string; api: 'revision' | 'tree' };

export type FakeFault =
  /** Sends the headers and the first bytes of the body, then (50 ms later) drops the connection. */
  | { kind: 'cut'; afterBytes: number }
  /** Sends the headers and the first bytes of the body, then goes silent without closing. */
  | { kind: 'stall'; afterBytes: number }
  /** Sends the body in `chunkBytes` pieces `delayMs` apart, so that transfers overlap and progress shows. */
  | { kind: 'slow'; chunkBytes: number; delayMs: number }
  /** Serves the file with one byte flipped, while the tree still reports the true hashes. */
  | { kind: 'corrupt' }
  /** Answers with this HTTP status instead. */
  | { kind: 'status'; status: number };

/** One request the fake received, for assertions such as "downloaded once" or "no credentials at the CDN". */
export interface FakeHubRequest {
  readonly method: string;
  readonly host: string;
  readonly url: string;
  readonly route: 'revision' | 'tree' | 'resolve' | 'cdn' | 'unknown';
  readonly repo: string | undefined;
  readonly file: string | undefined;
  readonly range: string | undefined;
  readonly authorization: string | undefined;
  /** Set when the response has been sent (or the connection closed). */
  status: number | undefined;
}
