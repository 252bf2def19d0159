import { OnnxGraphBuilder, attr } from '../onnx-graph.builder.js';
import type { DemoModel } from '../demo-model.js';
import { demoManifest } from '../demo-manifest.js';

/**
 * DINOv3 demo: the public export's I/O (`pixel_values [B,3,H,W]` → `last_hidden_state [B,1+4+N,D]`,
 * `pooler_output [B,D]`) with a closed-form body:
 *   patch token n   = mean over its 16×16 patch, per channel (3 values) · W + b
 *   CLS             = mean of the patch tokens
 *   register r      = CLS · REGISTER_SCALE[r]
 *   pooler_output   = CLS
 */
export const DINOV3_DEMO = {
  hiddenSize: 32,
  patchSize: 16,
  registerScale: [1, -1, 0.5, 2],
  weight: (c: number, d: number): number => Math.cos((c + 1) * (d + 1) * 0.37),
  bias: (d: number): number => d / 32 - 0.5,
} as const;

export function buildDinov3DemoGraph(): Uint8Array {
  const { hiddenSize: D, patchSize: P, registerScale } = DINOV3_DEMO;
  const g = new OnnxGraphBuilder('dinov3-demo');
  const pixels = g.input('pixel_values', 'float32', ['batch', 3, 'height', 'width']);
  const pooled = g.node('AveragePool', [pixels], [attr.ints('kernel_shape', [P, P]), attr.ints('strides', [P, P])]);
  const flat = g.node('Reshape', [pooled, g.int64s([0, 3, -1])]);
  const patchesIn = g.node('Transpose', [flat], [attr.ints('perm', [0, 2, 1])]);
  const weights = Array.from({ length: 3 * D }, (_, i) => DINOV3_DEMO.weight(Math.floor(i / D), i % D));
  const biases = Array.from({ length: D }, (_, d) => DINOV3_DEMO.bias(d));
  const projected = g.node('MatMul', [patchesIn, g.floats(weights, [3, D])]);
  const patches = g.node('Add', [projected, g.floats(biases, [D])]);
  const cls = g.node('ReduceMean', [patches], [attr.ints('axes', [1]), attr.int('keepdims', 1)]);
  const registers = g.node('Mul', [cls, g.floats(registerScale, [1, registerScale.length, 1])]);
  g.node('Concat', [cls, registers, patches], [attr.int('axis', 1)], ['last_hidden_state']);
  g.node('ReduceMean', [patches], [attr.ints('axes', [1]), attr.int('keepdims', 0)], ['pooler_output']);
  g.output('last_hidden_state', 'float32', ['batch', 'tokens', D]);
  g.output('pooler_output', 'float32', ['batch', D]);
  return g.toBytes();
}

/** The demo graph's output computed in plain JS from one preprocessed image [3,H,W]. */
export function dinov3DemoReference(pixels: Float32Array, height: number, width: number) {
  const { hiddenSize: D, patchSize: P, registerScale } = DINOV3_DEMO;
  const rows = height / P;
  const cols = width / P;
  const patches: number[][] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const means = [0, 1, 2].map((ch) => {
        let sum = 0;
        for (let y = r * P; y < (r + 1) * P; y++) {
          for (let x = c * P; x < (c + 1) * P; x++) sum += pixels[ch * height * width + y * width + x];
        }
        return sum / (P * P);
      });
      patches.push(
        Array.from(
          { length: D },
          (_, d) => DINOV3_DEMO.bias(d) + means.reduce((s, m, ch) => s + m * DINOV3_DEMO.weight(ch, d), 0),
        ),
      );
    }
  }
  const cls = Array.from({ length: D }, (_, d) => patches.reduce((s, p) => s + p[d], 0) / patches.length);
  const registers = registerScale.map((k) => cls.map((v) => v * k));
  return { lastHiddenState: [cls, ...registers, ...patches], poolerOutput: cls };
}

export const dinov3Demo: DemoModel = {
  family: 'dinov3',
  files: () => ({ 'onnx/model.onnx': buildDinov3DemoGraph() }),
  manifest: demoManifest('dinov3', { source: 'focal demo (closed-form DINOv3 stand-in)' }),
};
