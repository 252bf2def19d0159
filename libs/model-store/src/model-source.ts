import type { ModelRef } from './model-ref.js';
import type { ProgressListener } from './progress.js';

/** What a caller asks of a source besides the model itself. */
export interface FetchRequest {
  /** Glob patterns selecting files (see FileSelection); all files when undefined. */
  readonly patterns: readonly string[] | undefined;
  readonly onProgress: ProgressListener | undefined;
  readonly signal: AbortSignal | undefined;
}

/** A model available on local disk. */
export interface EnsuredModel<R extends ModelRef = ModelRef> {
  /** Local folder holding the model files. */
  readonly dir: string;
  readonly ref: R;
  /** Selected files, as `/`-separated paths relative to `dir`. */
  readonly files: string[];
}

/** Port for where models come from: one adapter per URI scheme (hf, https, file). */
export interface ModelSource<R extends ModelRef> {
  ensure(ref: R, request: FetchRequest): Promise<EnsuredModel<R>>;
}
