import type { ModelManifest } from '../../manifest/model-manifest.js';

/**
 * Depth Anything 3 (any-view, one view per image): a folder whose focal-model.json says
 * `"config": {"variant": "v3"}` gets everything else from here. Tensor names as tools/reference exports
 * them (there is no public ONNX convention for DA3 yet): depth and confidence [B,H,W], intrinsics [B,3,3]
 * at the network's input size. DA3 predicts depth (not disparity), so the GLB uses it as is.
 */
export const DEPTH_ANYTHING_3_DEFAULT_MANIFEST: ModelManifest = {
  family: 'depth_anything',
  source: 'Depth Anything 3 (ONNX with the tensor names of tools/reference)',
  graphs: {
    model: {
      file: 'onnx/model.onnx',
      inputs: { pixel_values: 'pixel_values' },
      outputs: { predicted_depth: 'predicted_depth', confidence: 'confidence', intrinsics: 'intrinsics' },
    },
  },
  preprocessing: { method: 'upper_bound_resize', process_res: 504, patch_size: 14 },
  config: { variant: 'v3', depth_kind: 'depth' },
};
