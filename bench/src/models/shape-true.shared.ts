import type { BenchContext } from '../core/bench-context.js';
import { ShapeTrueModel, writeShapeTrueDinov3 } from './shape-true-dinov3.model.js';
import { ShapeTrueDepthModel, writeShapeTrueDepth } from './shape-true-depth.model.js';

/** The shape-true ViT-S/16 folder, built once per run and shared by the benchmarks that serve it. */
export function sharedShapeTrueDinov3(ctx: BenchContext): Promise<ShapeTrueModel> {
  return ctx.run.shared('shape-true-dinov3', async () => {
    const model = writeShapeTrueDinov3(ctx.tempDir('vits16'));
    ctx.log(
      `built shape-true ViT-S/16: ${(model.parameters / 1e6).toFixed(1)} M parameters, ${model.fileMB.toFixed(0)} MB, ${model.buildSeconds.toFixed(2)} s`,
    );
    return model;
  });
}

/** The shape-true DA2-Small folder (HF layout, so transformers.js loads it too), built once per run. */
export function sharedShapeTrueDepth(ctx: BenchContext): Promise<ShapeTrueDepthModel> {
  return ctx.run.shared('shape-true-depth', async () => {
    const model = writeShapeTrueDepth(ctx.tempDir('da2s'));
    ctx.log(
      `built shape-true DA2-Small: ${(model.parameters / 1e6).toFixed(1)} M parameters, ${model.fileMB.toFixed(0)} MB, ${model.buildSeconds.toFixed(2)} s`,
    );
    return model;
  });
}
