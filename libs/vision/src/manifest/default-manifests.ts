import type { ModelType } from '@focal/contracts';
import { DEPTH_ANYTHING_3_DEFAULT_MANIFEST } from '../families/depth-anything/depth-anything-3.manifest.js';
import { GROUNDING_DINO_DEFAULT_MANIFEST } from '../families/grounding-dino/grounding-dino.manifest.js';
import { SAM3_DEFAULT_MANIFEST } from '../families/sam3/sam3.manifest.js';
import type { ModelManifest } from './model-manifest.js';

/**
 * Defaults for the known public export of each family, used when a model folder has no
 * focal-model.json (or to fill what it leaves out). Tensor names follow model-contracts.md.
 */
export const DEFAULT_MANIFESTS: Record<ModelType, ModelManifest> = {
  grounding_dino: GROUNDING_DINO_DEFAULT_MANIFEST,
  sam3: SAM3_DEFAULT_MANIFEST,
  dinov3: {
    family: 'dinov3',
    source: 'onnx-community/dinov3-vits16-pretrain-lvd1689m-ONNX',
    graphs: {
      model: {
        file: 'onnx/model.onnx',
        inputs: { pixel_values: 'pixel_values' },
        outputs: { last_hidden_state: 'last_hidden_state', pooler_output: 'pooler_output' },
      },
    },
    config: { num_register_tokens: 4, patch_size: 16 },
  },
  depth_anything: {
    family: 'depth_anything',
    source: 'onnx-community/depth-anything-v2-small',
    graphs: {
      model: {
        file: 'onnx/model.onnx',
        inputs: { pixel_values: 'pixel_values' },
        outputs: { predicted_depth: 'predicted_depth' },
      },
    },
    config: { depth_kind: 'relative_inverse_depth' },
  },
};

/**
 * Defaults for a variant of a family, chosen by `config.variant` in a folder's focal-model.json
 * (e.g. Depth Anything 3 is `depth_anything` with variant "v3").
 */
export const VARIANT_MANIFESTS: Partial<Record<ModelType, Record<string, ModelManifest>>> = {
  depth_anything: { v3: DEPTH_ANYTHING_3_DEFAULT_MANIFEST },
};
