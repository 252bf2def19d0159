import type { GraphManifest, ModelManifest } from '../../manifest/model-manifest.js';

/** The single graph of onnx-community/grounding-dino-tiny-ONNX (tensor names from model-contracts.md §1). */
export const GROUNDING_DINO_DEFAULT_MANIFEST: ModelManifest = {
  family: 'grounding_dino',
  source: 'onnx-community/grounding-dino-tiny-ONNX',
  graphs: {
    model: {
      file: 'onnx/model.onnx',
      inputs: {
        pixel_values: 'pixel_values',
        pixel_mask: 'pixel_mask',
        input_ids: 'input_ids',
        token_type_ids: 'token_type_ids',
        attention_mask: 'attention_mask',
      },
      outputs: { logits: 'logits', pred_boxes: 'pred_boxes' },
    },
  },
  preprocessing: { shortest_edge: 800, longest_edge: 1333 },
  config: { max_text_len: 256 },
};

/** The graph named "model", or a load-time error naming what is missing. */
export function groundingDinoGraph(manifest: ModelManifest): GraphManifest {
  const graph = manifest.graphs.model;
  if (!graph) throw new Error('a Grounding DINO manifest needs a graph named "model"');
  return graph;
}
