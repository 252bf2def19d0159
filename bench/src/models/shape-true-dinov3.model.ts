import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RawWeightsGraphBuilder } from '../onnx/raw-weights.graph-builder.js';
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

/** The manifest a served DINOv3 folder needs (the public export's tensor names). */
export const SHAPE_TRUE_MANIFEST = {
  family: 'dinov3',
  source: 'focal bench: shape-true random-weight DINOv3 ViT-S/16 (no RoPE)',
  graphs: {
    model: {
      file: 'onnx/model.onnx',
      inputs: { pixel_values: 'pixel_values' },
      outputs: { last_hidden_state: 'last_hidden_state', pooler_output: 'pooler_output' },
    },
  },
  config: { num_register_tokens: 4, patch_size: 16 },
};

/** Builds the random-weight ViT-S/16 and writes it as a model folder under `dir`. */
export function writeShapeTrueDinov3(dir: string, config: VitConfig = DINOV3_VITS16): ShapeTrueModel {
  const started = performance.now();
  const builder = new RawWeightsGraphBuilder('dinov3-vits16-shape-true', 17);
  writeVitGraph(builder, config);
  const bytes = builder.toBytes();
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const onnxPath = join(dir, 'onnx', 'model.onnx');
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
