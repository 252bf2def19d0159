import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { OnnxGraphBuilder } from '@focal/demo-models';
import { DEFAULT_MANIFESTS } from '@focal/vision';
import { DA2_SMALL, DptDepthConfig, writeDptDepthGraph } from './dpt-depth.graph.js';

export interface ShapeTrueDepthModel {
  /** Model folder both Focal and transformers.js load: focal-model.json, config.json, preprocessor_config.json, onnx/model.onnx. */
  dir: string;
  onnxPath: string;
  config: DptDepthConfig;
  parameters: number;
  fileMB: number;
  buildSeconds: number;
}

/** The public DA2 export's manifest (tensor names, graph path), with this model's source. */
export const SHAPE_TRUE_DEPTH_MANIFEST = {
  ...DEFAULT_MANIFESTS.depth_anything,
  source: 'focal bench: shape-true random-weight Depth Anything V2 Small (ViT-S/14 + DPT, no position embedding)',
};

/** What transformers.js reads to pick DepthAnythingForDepthEstimation and the depth-estimation pipeline. */
const HF_CONFIG = { model_type: 'depth_anything', architectures: ['DepthAnythingForDepthEstimation'] };

/** onnx-community/depth-anything-v2-small's preprocessor_config.json (model-contracts.md §3). */
const HF_PREPROCESSOR = {
  image_processor_type: 'DPTImageProcessor',
  do_resize: true,
  size: { height: 518, width: 518 },
  keep_aspect_ratio: true,
  ensure_multiple_of: 14,
  resample: 3,
  do_rescale: true,
  rescale_factor: 1 / 255,
  do_normalize: true,
  image_mean: [0.485, 0.456, 0.406],
  image_std: [0.229, 0.224, 0.225],
  do_pad: false,
};

/** Builds the random-weight DA2-Small and writes it as a model folder in HF layout under `dir`. */
export function writeShapeTrueDepth(dir: string, config: DptDepthConfig = DA2_SMALL): ShapeTrueDepthModel {
  const started = performance.now();
  const builder = new OnnxGraphBuilder('depth-anything-v2-small-shape-true', 17);
  writeDptDepthGraph(builder, config);
  const bytes = builder.toBytes();
  const onnxPath = join(dir, SHAPE_TRUE_DEPTH_MANIFEST.graphs.model.file);
  mkdirSync(dirname(onnxPath), { recursive: true });
  writeFileSync(onnxPath, bytes);
  writeFileSync(join(dir, 'focal-model.json'), JSON.stringify(SHAPE_TRUE_DEPTH_MANIFEST, null, 2));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(HF_CONFIG, null, 2));
  writeFileSync(join(dir, 'preprocessor_config.json'), JSON.stringify(HF_PREPROCESSOR, null, 2));
  return {
    dir,
    onnxPath,
    config,
    parameters: builder.parameters,
    fileMB: bytes.byteLength / 2 ** 20,
    buildSeconds: (performance.now() - started) / 1000,
  };
}
