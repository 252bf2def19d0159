import { DEFAULT_MANIFESTS } from '@focal/vision';
import { type GraphFolder, writeGraphFolder } from './graph-folder.writer.js';
import { DINOV3_VITS16, VitConfig, writeVitGraph } from './vit.graph.js';

/** Model folder the worker can serve: focal-model.json + onnx/model.onnx. */
export interface ShapeTrueModel extends GraphFolder {
  config: VitConfig;
}

/** The public DINOv3 export's manifest (tensor names, graph path), with this model's source. */
export const SHAPE_TRUE_MANIFEST = {
  ...DEFAULT_MANIFESTS.dinov3,
  source: 'focal bench: shape-true random-weight DINOv3 ViT-S/16 (no RoPE)',
};

/** Builds the random-weight ViT-S/16 and writes it as a model folder under `dir`. */
export function writeShapeTrueDinov3(dir: string, config: VitConfig = DINOV3_VITS16): ShapeTrueModel {
  const folder = writeGraphFolder(dir, 'dinov3-vits16-shape-true', SHAPE_TRUE_MANIFEST, (builder) =>
    writeVitGraph(builder, config),
  );
  return { ...folder, config };
}
