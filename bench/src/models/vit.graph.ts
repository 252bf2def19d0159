import { attr, type OnnxGraphBuilder } from '@focal/demo-models';
import { SeededWeights } from './seeded-weights.js';

/** The graph-building calls the ViT writer uses. */
export type GraphOps = Pick<OnnxGraphBuilder, 'input' | 'output' | 'floats' | 'int64s' | 'node'>;

/** A DINOv3-style ViT: patch-embedding Conv, [CLS, registers, patches], pre-norm blocks with LayerScale. */
export interface VitConfig {
  patchSize: number;
  hiddenSize: number;
  layers: number;
  heads: number;
  mlpSize: number;
  registerTokens: number;
  layerNormEps: number;
  /** "op" needs opset ≥ 17 (LayerNormalization); "decomposed" builds it from ReduceMean/Sub/Pow/Sqrt/Div. */
  layerNorm: 'op' | 'decomposed';
  seed: number;
}

/** facebook/dinov3-vits16-pretrain-lvd1689m's shapes: ViT-S/16, 12 × (384, 6 heads, MLP 1536), 4 registers. */
export const DINOV3_VITS16: VitConfig = {
  patchSize: 16,
  hiddenSize: 384,
  layers: 12,
  heads: 6,
  mlpSize: 1536,
  registerTokens: 4,
  layerNormEps: 1e-5,
  layerNorm: 'op',
  seed: 2024,
};

export class VitWriter {
  private readonly w: SeededWeights;

  constructor(
    private readonly g: GraphOps,
    private readonly c: VitConfig,
  ) {
    this.w = new SeededWeights(c.seed);
  }

  private scalar(value: number): string {
    return this.g.floats([value], [1]);
  }

  /** x · W + b with W [in, out] (the ONNX export of nn.Linear after constant folding). */
  linear(x: string, inSize: number, outSize: number): string {
    const weight = this.g.floats(this.w.uniform(inSize * outSize), [inSize, outSize]);
    const bias = this.g.floats(this.w.uniform(outSize), [outSize]);
    return this.g.node('Add', [this.g.node('MatMul', [x, weight]), bias]);
  }

  layerNorm(x: string, output?: string): string {
    const D = this.c.hiddenSize;
    const gamma = this.g.floats(this.w.constant(D, 1), [D]);
    const beta = this.g.floats(this.w.constant(D, 0), [D]);
    const outputs = output ? [output] : undefined;
    if (this.c.layerNorm === 'op') {
      return this.g.node(
        'LayerNormalization',
        [x, gamma, beta],
        [attr.int('axis', -1), attr.float('epsilon', this.c.layerNormEps)],
        outputs,
      );
    }
    const mean = this.g.node('ReduceMean', [x], [attr.ints('axes', [-1]), attr.int('keepdims', 1)]);
    const centred = this.g.node('Sub', [x, mean]);
    const variance = this.g.node(
      'ReduceMean',
      [this.g.node('Pow', [centred, this.scalar(2)])],
      [attr.ints('axes', [-1]), attr.int('keepdims', 1)],
    );
    const std = this.g.node('Sqrt', [this.g.node('Add', [variance, this.scalar(this.c.layerNormEps)])]);
    const normed = this.g.node('Div', [centred, std]);
    return this.g.node('Add', [this.g.node('Mul', [normed, gamma]), beta], [], outputs);
  }

  /** GELU, exact (erf) form: x · ½ · (1 + erf(x / √2)). */
  gelu(x: string): string {
    const erf = this.g.node('Erf', [this.g.node('Div', [x, this.scalar(Math.SQRT2)])]);
    return this.g.node('Mul', [this.g.node('Mul', [x, this.g.node('Add', [erf, this.scalar(1)])]), this.scalar(0.5)]);
  }

  /** Multi-head self-attention via MatMul/Softmax, fused QKV projection, no RoPE. */
  attention(x: string): string {
    const { hiddenSize: D, heads: H } = this.c;
    const headSize = D / H;
    const qkv = this.g.node('Reshape', [this.linear(x, D, 3 * D), this.g.int64s([0, 0, 3, H, headSize])]);
    const perHead = this.g.node('Transpose', [qkv], [attr.ints('perm', [2, 0, 3, 1, 4])]); // [3,B,H,T,hd]
    const pick = (i: number) => this.g.node('Gather', [perHead, this.g.int64s([i], [])], [attr.int('axis', 0)]);
    const q = this.g.node('Mul', [pick(0), this.scalar(1 / Math.sqrt(headSize))]);
    const kT = this.g.node('Transpose', [pick(1)], [attr.ints('perm', [0, 1, 3, 2])]);
    const probs = this.g.node('Softmax', [this.g.node('MatMul', [q, kT])], [attr.int('axis', -1)]);
    const context = this.g.node(
      'Transpose',
      [this.g.node('MatMul', [probs, pick(2)])],
      [attr.ints('perm', [0, 2, 1, 3])],
    );
    return this.linear(this.g.node('Reshape', [context, this.g.int64s([0, 0, D])]), D, D);
  }

  layerScale(x: string): string {
    return this.g.node('Mul', [x, this.g.floats(this.w.constant(this.c.hiddenSize, 1), [this.c.hiddenSize])]);
  }

  block(x: string): string {
    const { hiddenSize: D, mlpSize } = this.c;
    const afterAttention = this.g.node('Add', [x, this.layerScale(this.attention(this.layerNorm(x)))]);
    const mlp = this.linear(this.gelu(this.linear(this.layerNorm(afterAttention), D, mlpSize)), mlpSize, D);
    return this.g.node('Add', [afterAttention, this.layerScale(mlp)]);
  }

  /** pixel_values [B,3,H,W] → tokens [B, 1 + registers + (H/p)(W/p), D]. */
  embeddings(pixels: string): string {
    const { hiddenSize: D, patchSize: P, registerTokens: R } = this.c;
    const kernel = this.g.floats(this.w.uniform(D * 3 * P * P), [D, 3, P, P]);
    const conv = this.g.node(
      'Conv',
      [pixels, kernel, this.g.floats(this.w.uniform(D), [D])],
      [attr.ints('kernel_shape', [P, P]), attr.ints('strides', [P, P])],
    );
    const patches = this.g.node(
      'Transpose',
      [this.g.node('Reshape', [conv, this.g.int64s([0, D, -1])])],
      [attr.ints('perm', [0, 2, 1])],
    );
    const prefix = this.g.floats(this.w.uniform((1 + R) * D), [1, 1 + R, D]); // CLS token, then the registers
    const batch = this.g.node('Slice', [this.g.node('Shape', [pixels]), this.g.int64s([0]), this.g.int64s([1])]);
    const prefixShape = this.g.node('Concat', [batch, this.g.int64s([1 + R, D])], [attr.int('axis', 0)]);
    const prefixes = this.g.node('Expand', [prefix, prefixShape]);
    return this.g.node('Concat', [prefixes, patches], [attr.int('axis', 1)]);
  }
}

/** The token sequence after each block (before any final LayerNorm), for heads that read several layers. */
export function vitHiddenStates(vit: VitWriter, pixels: string, config: VitConfig): string[] {
  const states: string[] = [];
  let hidden = vit.embeddings(pixels);
  for (let layer = 0; layer < config.layers; layer++) states.push((hidden = vit.block(hidden)));
  return states;
}

/**
 * Writes a DINOv3-shaped ViT into `g`: `pixel_values [B,3,H,W]` → `last_hidden_state [B,T,D]`
 * (after the final LayerNorm) and `pooler_output [B,D]` (its CLS row). RoPE is left out: it adds
 * only elementwise work on Q and K, and the real model has no other position embedding.
 */
export function writeVitGraph(g: GraphOps, config: VitConfig = DINOV3_VITS16): void {
  const vit = new VitWriter(g, config);
  const pixels = g.input('pixel_values', 'float32', ['batch', 3, 'height', 'width']);
  const hidden = vitHiddenStates(vit, pixels, config).at(-1) as string;
  const last = vit.layerNorm(hidden, 'last_hidden_state');
  g.node('Gather', [last, g.int64s([0], [])], [attr.int('axis', 1)], ['pooler_output']);
  g.output('last_hidden_state', 'float32', ['batch', 'tokens', config.hiddenSize]);
  g.output('pooler_output', 'float32', ['batch', config.hiddenSize]);
}
