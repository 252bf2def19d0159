import { DEFAULT_MANIFESTS } from '@focal/vision';
import { DA2_SMALL_PREPROCESSOR_CONFIG } from '../fixtures/family-fixtures.js';
import { type GraphFolder, writeGraphFolder } from './graph-folder.writer.js';
import { DA2_SMALL, DptDepthConfig, writeDptDepthGraph } from './dpt-depth.graph.js';

/** Model folder both Focal and transformers.js load: focal-model.json, config.json, preprocessor_config.json, onnx/model.onnx. */
export interface ShapeTrueDepthModel extends GraphFolder {
  config: DptDepthConfig;
}

/** The public DA2 export's manifest (tensor names, graph path), with this model's source. */
export const SHAPE_TRUE_DEPTH_MANIFEST = {
  ...DEFAULT_MANIFESTS.depth_anything,
  source: 'focal bench: shape-true random-weight Depth Anything V2 Small (ViT-S/14 + DPT, no position embedding)',
};

/** What transformers.js reads to pick DepthAnythingForDepthEstimation and the depth-estimation pipeline. */
const HF_CONFIG = { model_type: 'depth_anything', architectures: ['DepthAnythingForDepthEstimation'] };

/** Builds the random-weight DA2-Small and writes it as a model folder in HF layout under `dir`. */
export function writeShapeTrueDepth(dir: string, config: DptDepthConfig = DA2_SMALL): ShapeTrueDepthModel {
  const folder = writeGraphFolder(
    dir,
    'depth-anything-v2-small-shape-true',
    SHAPE_TRUE_DEPTH_MANIFEST,
    (builder) => writeDptDepthGraph(builder, config),
    { 'config.json': HF_CONFIG, 'preprocessor_config.json': DA2_SMALL_PREPROCESSOR_CONFIG },
  );
  return { ...folder, config };
}
