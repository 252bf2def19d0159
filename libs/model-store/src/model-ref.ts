/** Revision used when an hf id names none, as on the hub. */
export const DEFAULT_REVISION = 'main';

/** A Hugging Face hub repo at a branch, tag or commit. */
export interface HfModelRef {
  readonly source: 'hf';
  /** `org/name` (or a legacy single-segment name). */
  readonly repo: string;
  /** Branch, tag, `refs/pr/N` or 40-hex commit sha. */
  readonly revision: string;
  /** Canonical form, `hf://org/name@revision`. */
  readonly uri: string;
}

/**
 * An http(s) URL: `file` for a single file (`…/model.onnx`), `folder` for a URL ending in `/`
 * that serves a `focal-files.json` manifest listing the folder's files.
 */
export interface HttpsModelRef {
  readonly source: 'https';
  readonly url: string;
  readonly kind: 'file' | 'folder';
  /** Pinned content hash from a `#sha256=<hex>` fragment (single files only). */
  readonly sha256: string | undefined;
  readonly uri: string;
}

/** A local folder (or single file) used in place, never copied. */
export interface FileModelRef {
  readonly source: 'file';
  /** Absolute path. */
  readonly path: string;
  readonly uri: string;
}

export type ModelRef = HfModelRef | HttpsModelRef | FileModelRef;
export type ModelSourceKind = ModelRef['source'];
