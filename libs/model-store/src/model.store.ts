import type { ModelRef } from './model-ref.js';
import { parseModelRef } from './model-ref.parser.js';
import type { EnsuredModel, FetchRequest } from './model-source.js';
import { resolveStoreOptions, type ModelStoreOptions, type ResolvedModelStoreOptions } from './model-store.options.js';
import type { ProgressListener } from './progress.js';
import { FileSource } from './sources/file/file.source.js';
import { HfSource } from './sources/hf/hf.source.js';
import { HttpsSource } from './sources/https/https.source.js';

export interface EnsureOptions {
  /** Glob patterns choosing which files to fetch, e.g. `['onnx/model.onnx', '*.json']`; all files when omitted. */
  files?: readonly string[];
  onProgress?: ProgressListener;
  /** Aborting leaves partial downloads in place; the next ensure resumes them. */
  signal?: AbortSignal;
}

/**
 * Model id or URI → model files in a local folder. Hub repos are cached in huggingface_hub's
 * layout, plain URLs in the store's own, local folders are used in place.
 */
export class ModelStore {
  private readonly options: ResolvedModelStoreOptions;
  private readonly hf: HfSource;
  private readonly https: HttpsSource;
  private readonly file = new FileSource();

  constructor(options: ModelStoreOptions) {
    // Kept private: the resolved options hold the hub token.
    this.options = resolveStoreOptions(options);
    this.hf = new HfSource(this.options);
    this.https = new HttpsSource(this.options);
  }

  /** Parses an id (`org/name[@rev]`, `hf://…`, `https://…`, `file://…`, `/abs/path`); throws InvalidModelIdError. */
  resolve(id: string): ModelRef {
    return parseModelRef(id);
  }

  /** Makes the model's selected files available locally and says where they are. */
  async ensure(model: string | ModelRef, options: EnsureOptions = {}): Promise<EnsuredModel> {
    options.signal?.throwIfAborted();
    const ref = typeof model === 'string' ? this.resolve(model) : model;
    const request: FetchRequest = { patterns: options.files, onProgress: options.onProgress, signal: options.signal };
    switch (ref.source) {
      case 'hf':
        return this.hf.ensure(ref, request);
      case 'https':
        return this.https.ensure(ref, request);
      case 'file':
        return this.file.ensure(ref, request);
    }
  }
}
