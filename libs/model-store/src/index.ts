export { ModelStore, type EnsureOptions } from './model.store.js';
export {
  DEFAULT_HF_ENDPOINT,
  resolveStoreOptions,
  type ModelStoreOptions,
  type ResolvedModelStoreOptions,
} from './model-store.options.js';
export {
  DEFAULT_REVISION,
  type FileModelRef,
  type HfModelRef,
  type HttpsModelRef,
  type ModelRef,
  type ModelSourceKind,
} from './model-ref.js';
export { parseModelRef } from './model-ref.parser.js';
export type { EnsuredModel, FetchRequest, ModelSource } from './model-source.js';
export type { ProgressEvent, ProgressListener } from './progress.js';
export {
  IntegrityError,
  InvalidModelIdError,
  ModelAccessError,
  ModelFetchError,
  ModelNotFoundError,
  ModelStoreError,
  OfflineError,
} from './model-store.errors.js';
export { FOLDER_MANIFEST_NAME } from './sources/https/folder-manifest.js';
export {
  DEFAULT_MODEL_SOURCES,
  defaultModelSource,
  type DefaultModelRepo,
  type DefaultModelSource,
  type ExplicitIdRequired,
} from './default-models.js';
