import type { ModelType } from '@focal/contracts';

/** Tensor names of one graph, keyed by the role the processor gives them (e.g. pixel_values → "pixel_values"). */
export interface GraphManifest {
  /** Path of the .onnx file, relative to the model folder. */
  file: string;
  inputs: Record<string, string>;
  outputs: Record<string, string>;
}

/**
 * `focal-model.json`: what a model folder holds and how to drive it. Known public exports have
 * defaults (see default-manifests.ts), so a folder without the file still loads; a file overrides them.
 */
export interface ModelManifest {
  family: ModelType;
  /** True for the generated demo models: labelled as such in status and logs. */
  demo?: boolean;
  /** Human-readable origin, e.g. "onnx-community/depth-anything-v2-small". */
  source?: string;
  graphs: Record<string, GraphManifest>;
  /** Family-specific preprocessing overrides (sizes, mean/std, resample). */
  preprocessing?: Record<string, unknown>;
  /** Family-specific settings (e.g. num_register_tokens, pad_token_id, depth kind). */
  config?: Record<string, unknown>;
}

export const MANIFEST_FILE = 'focal-model.json';
