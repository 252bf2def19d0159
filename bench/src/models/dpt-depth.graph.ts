import { attr } from '@focal/demo-models';
import { SeededWeights } from './seeded-weights.js';
import { GraphOps, VitConfig, VitWriter, vitHiddenStates } from './vit.graph.js';

/** A Depth Anything V2-style model: a DINOv2 ViT encoder read at four layers, then a DPT neck and head. */
export interface DptDepthConfig {
  vit: VitConfig;
  /** Encoder blocks whose output the neck reads (0-based). */
  outIndices: number[];
  /** Channels of each reassembled map, shallowest first. */
  reassembleChannels: number[];
  fusionChannels: number;
  headChannels: number;
  seed: number;
}

/**
 * depth-anything/Depth-Anything-V2-Small's shapes: ViT-S/14 (12 × 384, 6 heads, MLP 1536, CLS, no
 * registers), layers 2/5/8/11, reassemble to 48/96/192/384 channels, fusion 64, head 32.
 */
export const DA2_SMALL: DptDepthConfig = {
  vit: {
    patchSize: 14,
    hiddenSize: 384,
    layers: 12,
    heads: 6,
    mlpSize: 1536,
    registerTokens: 0,
    layerNormEps: 1e-6,
    layerNorm: 'op',
    seed: 2025,
  },
  outIndices: [2, 5, 8, 11],
  reassembleChannels: [48, 96, 192, 384],
  fusionChannels: 64,
  headChannels: 32,
  seed: 2026,
};

type Attribute = ReturnType<typeof attr.int>;

/** ONNX AttributeType.STRING is 3; the shared builder has no string helper, and Resize needs one. */
function stringAttr(name: string, value: string): Attribute {
  return { name, type: 3, s: new TextEncoder().encode(value) } as unknown as Attribute;
}

class DptWriter {
  private readonly w: SeededWeights;

  constructor(
    private readonly g: GraphOps,
    private readonly c: DptDepthConfig,
  ) {
    this.w = new SeededWeights(c.seed);
  }

  /** Conv with "same" padding for odd kernels; std 1/√fan-in keeps activations bounded through the head. */
  conv(x: string, inC: number, outC: number, kernel: number, stride = 1, bias = true): string {
    const std = 1 / Math.sqrt(inC * kernel * kernel);
    const weight = this.g.floats(this.w.uniform(outC * inC * kernel * kernel, std), [outC, inC, kernel, kernel]);
    const inputs = bias ? [x, weight, this.g.floats(this.w.uniform(outC, std), [outC])] : [x, weight];
    const pad = Math.floor(kernel / 2);
    return this.g.node('Conv', inputs, [
      attr.ints('kernel_shape', [kernel, kernel]),
      attr.ints('strides', [stride, stride]),
      attr.ints('pads', [pad, pad, pad, pad]),
    ]);
  }

  /** ConvTranspose with kernel = stride: an exact ×stride upsampling, as DPT's reassemble does. */
  upConv(x: string, channels: number, factor: number): string {
    const std = 1 / Math.sqrt(channels);
    const weight = this.g.floats(this.w.uniform(channels * channels * factor * factor, std), [
      channels,
      channels,
      factor,
      factor,
    ]);
    return this.g.node(
      'ConvTranspose',
      [x, weight, this.g.floats(this.w.uniform(channels, std), [channels])],
      [attr.ints('kernel_shape', [factor, factor]), attr.ints('strides', [factor, factor])],
    );
  }

  relu(x: string): string {
    return this.g.node('Relu', [x]);
  }

  /** Bilinear resize of x [B,C,h,w] to the spatial size in `sizes` (a [B,C,H,W] int64 tensor). */
  resize(x: string, sizes: string, alignCorners: boolean): string {
    return this.g.node(
      'Resize',
      [x, '', '', sizes],
      [
        stringAttr('mode', 'linear'),
        stringAttr('coordinate_transformation_mode', alignCorners ? 'align_corners' : 'half_pixel'),
      ],
    );
  }

  /** [B, C of x, H, W of target]: the sizes input that resizes x to target's spatial size. */
  sizesLike(x: string, spatial: string): string {
    const batchChannels = this.g.node('Slice', [this.g.node('Shape', [x]), this.g.int64s([0]), this.g.int64s([2])]);
    return this.g.node('Concat', [batchChannels, spatial], [attr.int('axis', 0)]);
  }

  spatialOf(x: string): string {
    return this.g.node('Slice', [this.g.node('Shape', [x]), this.g.int64s([2]), this.g.int64s([4])]);
  }

  /** Tokens [B, 1 + N, D] → patch map [B, D, h, w], dropping the CLS row. */
  tokensToMap(tokens: string, batch: string, grid: string): string {
    const { hiddenSize: D, registerTokens: R } = this.c.vit;
    const patches = this.g.node('Slice', [
      tokens,
      this.g.int64s([1 + R]),
      this.g.int64s([Number.MAX_SAFE_INTEGER]),
      this.g.int64s([1]),
    ]);
    const channelsFirst = this.g.node('Transpose', [patches], [attr.ints('perm', [0, 2, 1])]);
    const shape = this.g.node('Concat', [batch, this.g.int64s([D]), grid], [attr.int('axis', 0)]);
    return this.g.node('Reshape', [channelsFirst, shape]);
  }

  /** DPT reassemble of level i: 1×1 projection, then ×4, ×2, ×1 or ½ resampling. */
  reassemble(map: string, level: number): string {
    const channels = this.c.reassembleChannels[level];
    const projected = this.conv(map, this.c.vit.hiddenSize, channels, 1);
    if (level === 0) return this.upConv(projected, channels, 4);
    if (level === 1) return this.upConv(projected, channels, 2);
    if (level === 2) return projected;
    return this.conv(projected, channels, channels, 3, 2);
  }

  residualUnit(x: string): string {
    const F = this.c.fusionChannels;
    const inner = this.conv(this.relu(this.conv(this.relu(x), F, F, 3)), F, F, 3);
    return this.g.node('Add', [x, inner]);
  }

  /** One fusion layer: add the level's features, refine, upsample to the next level (or ×2), project. */
  fuse(previous: string | undefined, features: string, nextSpatial: string | undefined): string {
    const F = this.c.fusionChannels;
    const merged = previous ? this.g.node('Add', [previous, this.residualUnit(features)]) : features;
    const refined = this.residualUnit(merged);
    const spatial = nextSpatial ?? this.g.node('Mul', [this.spatialOf(refined), this.g.int64s([2])]);
    return this.conv(this.resize(refined, this.sizesLike(refined, spatial), true), F, F, 1);
  }

  /** Head: conv to half the channels, bilinear to the input size, conv, ReLU, 1×1 to one channel, ReLU. */
  head(fused: string, inputSpatial: string): string {
    const { fusionChannels: F, headChannels: Hc } = this.c;
    const narrowed = this.conv(fused, F, F / 2, 3);
    const full = this.resize(narrowed, this.sizesLike(narrowed, inputSpatial), true);
    const depth = this.relu(this.conv(this.relu(this.conv(full, F / 2, Hc, 3)), Hc, 1, 1));
    return this.g.node('Squeeze', [depth, this.g.int64s([1])], [], ['predicted_depth']);
  }
}

/**
 * Writes a Depth Anything V2-shaped graph into `g`: `pixel_values [B,3,H,W]` (H, W multiples of the
 * patch size) → `predicted_depth [B,H,W]`. The encoder is the shape-true ViT with the final LayerNorm
 * applied to each read layer (as Dinov2Backbone does); the learned position embedding is left out
 * (one Add per token). The neck and head follow transformers' DepthAnythingNeck/DepthAnythingDepthEstimationHead.
 */
export function writeDptDepthGraph(g: GraphOps, config: DptDepthConfig = DA2_SMALL): void {
  const vit = new VitWriter(g, config.vit);
  const dpt = new DptWriter(g, config);
  const pixels = g.input('pixel_values', 'float32', ['batch', 3, 'height', 'width']);
  const states = vitHiddenStates(vit, pixels, config.vit);
  const inputSpatial = dpt.spatialOf(pixels);
  const grid = g.node('Div', [inputSpatial, g.int64s([config.vit.patchSize])]);
  const batch = g.node('Slice', [g.node('Shape', [pixels]), g.int64s([0]), g.int64s([1])]);
  const features = config.outIndices.map((layer, level) => {
    const map = dpt.tokensToMap(vit.layerNorm(states[layer]), batch, grid);
    return dpt.conv(dpt.reassemble(map, level), config.reassembleChannels[level], config.fusionChannels, 3, 1, false);
  });
  let fused: string | undefined;
  for (let level = features.length - 1; level >= 0; level--) {
    const next = level > 0 ? dpt.spatialOf(features[level - 1]) : undefined;
    fused = dpt.fuse(fused, features[level], next);
  }
  dpt.head(fused as string, inputSpatial);
  g.output('predicted_depth', 'float32', ['batch', 'height', 'width']);
}
