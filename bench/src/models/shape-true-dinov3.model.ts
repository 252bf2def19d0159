import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OnnxGraphBuilder } from '@focal/demo-models';
import { DEFAULT_MANIFESTS } from '@focal/vision';
import { performance } from 'node:perf_hooks';
import { DINOV3_VITS16, VitConfig, writeVitGraph } from './vit.graph.js';

export interface ShapeTrueModel {
  /** Model folder the worker can serve: focal-model.json + onnx/model.onnx. */
  dir: string;
  onnxPath: string;
  config: VitConfig;
  parameters: number;
  fileMB: number;
  buildSeconds: number;
}

/** The public DINOv3 export's manifest (tensor names, graph path), with this model's source. */
export const SHAPE_TRUE_MANIFEST = {
  ...DEFAULT_MANIFESTS.dinov3,
  source: 'focal bench: shape-true random-weight DINOv3 ViT-S/16 (no RoPE)',
};

/** Builds the random-weight ViT-S/16 and writes it as a model folder under `dir`. */
export function writeShapeTrueDinov3(dir: string, config: VitConfig = DINOV3_VITS16): ShapeTrueModel {
  const started = performance.now();
  const builder = new OnnxGraphBuilder('dinov3-vits16-shape-true', 17);
  writeVitGraph(builder, config);
  const bytes = builder.toBytes();
  const onnxPath = join(dir, SHAPE_TRUE_MANIFEST.graphs.model.file);
  mkdirSync(dirname(onnxPath), { recursive: true });
  writeFileSync(onnxPath, bytes);
  writeFileSync(join(dir, 'focal-model.json'), JSON.stringify(SHAPE_TRUE_MANIFEST, null, 2));
  return {
    dir,
    onnxPath,
    config,
    parameters: builder.parameters,
    fileMB: bytes.byteLength / 2 ** 20,
    buildSeconds: (performance.now() - started) / 1000,
  };
}
