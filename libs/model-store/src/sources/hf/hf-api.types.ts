/** `GET {endpoint}/api/models/{repo}/revision/{revision}` (the fields used). */
export interface HfRevisionInfo {
  readonly sha: string;
}

/** One entry of `GET {endpoint}/api/models/{repo}/tree/{revision}?recursive=true`. */
export interface HfTreeEntry {
  readonly type: 'file' | 'directory';
  readonly path: string;
  readonly size: number;
  /** Git object id: of the content, or of the LFS pointer for LFS files. */
  readonly oid: string;
  readonly lfs?: {
    /** sha256 of the content. */
    readonly oid: string;
    readonly size: number;
  };
}

export type HfTreeFile = HfTreeEntry & { readonly type: 'file' };
