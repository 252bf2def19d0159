import { OnnxGraphBuilder, attr } from '../onnx-graph.builder.js';
import type { DemoModel } from '../demo-model.js';
import { CLIP_EOS, buildClipBpeTokenizerConfig, buildClipBpeTokenizerJson } from './tokenizer.clip-bpe.js';
import { SAM3_DEFAULT_MANIFEST } from '@focal/vision';
import { demoManifest } from '../demo-manifest.js';

/**
 * SAM3 text-prompted demo: three graphs with the tensor names and ranks of the jamjamjon/usls SAM3 export
 * (vision encoder `images` → `fpn_feat_*`/`fpn_pos_2`; text encoder `input_ids`, `attention_mask` →
 * `text_features`, `text_mask`; decoder FPN + `prompt_features`, `prompt_mask` → `pred_masks`, `pred_boxes` (xyxy),
 * `pred_logits`, `presence_logits`), with small channel counts and a closed-form body:
 *
 *   vision   fpn_feat_k = k-th average pool of the image (14, 28, 56, 112 px cells → 72², 36², 18², 9²)
 *            fpn_pos_2  = POS(c, y, x)
 *   text     text_features[s, d] = cos(id_s · (d+1) · 0.01) · attention_mask[s];  text_mask = attention_mask == 0
 *   decoder  n        = number of real prompt tokens (prompt_mask false), incl. start and end tokens
 *            g        = prompt_features[1, 0]   (first word token's first feature)
 *            pred_logits[q]     = 4 − 2·|q − n| + mean(fpn_feat_1)
 *            presence_logits    = 3 − 0.5·n + 0.25·mean(fpn_feat_2 · fpn_pos_2)
 *            pred_masks[q,y,x]  = 8·s_q·(fpn_feat_0[q mod 3, y, x] − 0.25·g),   s_q = +1 for even q, −1 for odd q
 *            pred_boxes[q]      = BOX(q), xyxy normalised
 * So the prompt's length picks which queries fire, its first word shifts the mask threshold, long prompts
 * lose presence, and a query's mask is a thresholded colour channel of the image.
 */
export const SAM3_DEMO = {
  imageSize: 1008,
  channels: 3,
  maskSize: 72,
  numQueries: 16,
  textDim: 8,
  textLength: 32,
  /** Average-pool cell sizes of fpn_feat_0..3. */
  poolSizes: [14, 28, 56, 112],
  words: ['cat', 'dog', 'red', 'blue', 'green', 'ball', 'square', 'person', 'car', 'sky', 'object'],
} as const;

export function sam3DemoPosition(c: number, y: number, x: number): number {
  return Math.cos(0.7 * (c + 1) + 0.3 * y - 0.2 * x);
}

/** Box of query q, xyxy normalised. */
export function sam3DemoBox(q: number): [number, number, number, number] {
  const x1 = 0.02 * q;
  const y1 = 0.03 * q;
  return [x1, y1, x1 + 0.4, y1 + 0.3];
}

const featSize = (k: number) => SAM3_DEMO.imageSize / SAM3_DEMO.poolSizes[k];

export function buildSam3DemoVisionEncoder(): Uint8Array {
  const { imageSize: S, channels: C, poolSizes } = SAM3_DEMO;
  const g = new OnnxGraphBuilder('sam3-demo-vision-encoder');
  const images = g.input('images', 'float32', ['batch', 3, S, S]);
  poolSizes.forEach((p, k) => {
    g.node(
      'AveragePool',
      [images],
      [attr.ints('kernel_shape', [p, p]), attr.ints('strides', [p, p])],
      [`fpn_feat_${k}`],
    );
    g.output(`fpn_feat_${k}`, 'float32', ['batch', C, featSize(k), featSize(k)]);
  });
  const n2 = featSize(2);
  const pos = Array.from({ length: C * n2 * n2 }, (_, i) =>
    sam3DemoPosition(Math.floor(i / (n2 * n2)), Math.floor(i / n2) % n2, i % n2),
  );
  const zeros = g.node('Mul', ['fpn_feat_2', g.floats([0], [1])]);
  g.node('Add', [zeros, g.floats(pos, [1, C, n2, n2])], [], ['fpn_pos_2']);
  g.output('fpn_pos_2', 'float32', ['batch', C, n2, n2]);
  return g.toBytes();
}

export function buildSam3DemoTextEncoder(): Uint8Array {
  const { textDim: D, textLength: T } = SAM3_DEMO;
  const g = new OnnxGraphBuilder('sam3-demo-text-encoder');
  const ids = g.input('input_ids', 'int64', ['batch', T]);
  const mask = g.input('attention_mask', 'int64', ['batch', T]);
  const idsFloat = g.node('Unsqueeze', [g.node('Cast', [ids], [attr.int('to', 1)]), g.int64s([2])]);
  const freqs = Array.from({ length: D }, (_, d) => (d + 1) * 0.01);
  const waves = g.node('Cos', [g.node('Mul', [idsFloat, g.floats(freqs, [1, 1, D])])]);
  const maskFloat = g.node('Unsqueeze', [g.node('Cast', [mask], [attr.int('to', 1)]), g.int64s([2])]);
  g.node('Mul', [waves, maskFloat], [], ['text_features']);
  g.node('Equal', [mask, g.int64s([0], [1])], [], ['text_mask']);
  g.output('text_features', 'float32', ['batch', T, D]);
  g.output('text_mask', 'bool', ['batch', T]);
  return g.toBytes();
}

/** Per-image scalars [B,1] of the decoder: n, g, mean(fpn_feat_1), mean(fpn_feat_2·fpn_pos_2). */
function decoderScalars(g: OnnxGraphBuilder) {
  const real = g.node('Cast', [g.node('Not', ['prompt_mask'])], [attr.int('to', 1)]);
  const tokens = g.node('ReduceSum', [real, g.int64s([1])], [attr.int('keepdims', 1)]);
  const firstWord = g.node('Slice', ['prompt_features', g.int64s([1, 0]), g.int64s([2, 1]), g.int64s([1, 2])]);
  const shift = g.node('Reshape', [firstWord, g.int64s([-1, 1])]);
  const meanOf = (x: string) => g.node('ReduceMean', [x], [attr.ints('axes', [1, 2, 3]), attr.int('keepdims', 0)]);
  const brightness = g.node('Unsqueeze', [meanOf('fpn_feat_1'), g.int64s([1])]);
  const posMix = g.node('Unsqueeze', [meanOf(g.node('Mul', ['fpn_feat_2', 'fpn_pos_2'])), g.int64s([1])]);
  return { tokens, shift, brightness, posMix };
}

export function buildSam3DemoDecoder(): Uint8Array {
  const { channels: C, numQueries: Q, textDim: D, maskSize: M } = SAM3_DEMO;
  const g = new OnnxGraphBuilder('sam3-demo-decoder');
  [0, 1, 2].forEach((k) => g.input(`fpn_feat_${k}`, 'float32', ['batch', C, featSize(k), featSize(k)]));
  g.input('fpn_pos_2', 'float32', ['batch', C, featSize(2), featSize(2)]);
  g.input('prompt_features', 'float32', ['batch', 'prompt_len', D]);
  g.input('prompt_mask', 'bool', ['batch', 'prompt_len']);
  const { tokens, shift, brightness, posMix } = decoderScalars(g);

  const queryIndex = g.floats(
    Array.from({ length: Q }, (_, q) => q),
    [1, Q],
  );
  const distance = g.node('Abs', [g.node('Sub', [queryIndex, tokens])]);
  const base = g.node('Sub', [g.floats([4], [1]), g.node('Mul', [distance, g.floats([2], [1])])]);
  g.node('Add', [base, brightness], [], ['pred_logits']);

  const presence = g.node('Sub', [g.floats([3], [1]), g.node('Mul', [tokens, g.floats([0.5], [1])])]);
  g.node('Add', [presence, g.node('Mul', [posMix, g.floats([0.25], [1])])], [], ['presence_logits']);

  const channels = g.node(
    'Gather',
    ['fpn_feat_0', g.int64s(Array.from({ length: Q }, (_, q) => q % 3))],
    [attr.int('axis', 1)],
  );
  const threshold = g.node('Unsqueeze', [g.node('Mul', [shift, g.floats([0.25], [1])]), g.int64s([2, 3])]);
  const signs = g.floats(
    Array.from({ length: Q }, (_, q) => (q % 2 === 0 ? 8 : -8)),
    [1, Q, 1, 1],
  );
  g.node('Mul', [g.node('Sub', [channels, threshold]), signs], [], ['pred_masks']);

  const boxes = Array.from({ length: Q }, (_, q) => sam3DemoBox(q)).flat();
  const zeroPerImage = g.node('Unsqueeze', [g.node('Mul', [brightness, g.floats([0], [1])]), g.int64s([2])]);
  g.node('Add', [g.floats(boxes, [1, Q, 4]), zeroPerImage], [], ['pred_boxes']);

  g.output('pred_masks', 'float32', ['batch', Q, M, M]);
  g.output('pred_boxes', 'float32', ['batch', Q, 4]);
  g.output('pred_logits', 'float32', ['batch', Q]);
  g.output('presence_logits', 'float32', ['batch', 1]);
  return g.toBytes();
}

function averagePool(pixels: Float32Array, size: number, cell: number): Float32Array {
  const n = size / cell;
  const sums = new Float64Array(SAM3_DEMO.channels * n * n);
  for (let c = 0; c < SAM3_DEMO.channels; c++) {
    for (let y = 0; y < size; y++) {
      const rowIn = c * size * size + y * size;
      const rowOut = c * n * n + ((y / cell) | 0) * n;
      for (let x = 0; x < size; x++) sums[rowOut + ((x / cell) | 0)] += pixels[rowIn + x];
    }
  }
  return Float32Array.from(sums, (v) => v / (cell * cell));
}

export interface Sam3DemoVision {
  fpn_feat_0: Float32Array;
  fpn_feat_1: Float32Array;
  fpn_feat_2: Float32Array;
  fpn_feat_3: Float32Array;
  fpn_pos_2: Float32Array;
}

/** The vision encoder in plain JS for one preprocessed image [3,1008,1008]. */
export function sam3DemoVisionReference(pixels: Float32Array): Sam3DemoVision {
  const { imageSize: S, poolSizes } = SAM3_DEMO;
  const [f0, f1, f2, f3] = poolSizes.map((p) => averagePool(pixels, S, p));
  const n2 = featSize(2);
  const pos = Float32Array.from({ length: f2.length }, (_, i) =>
    sam3DemoPosition(Math.floor(i / (n2 * n2)), Math.floor(i / n2) % n2, i % n2),
  );
  return { fpn_feat_0: f0, fpn_feat_1: f1, fpn_feat_2: f2, fpn_feat_3: f3, fpn_pos_2: pos };
}

/** The text encoder in plain JS for one tokenised prompt: features [T·D] and the padding mask (1 = pad). */
export function sam3DemoTextReference(ids: readonly number[], attentionMask: readonly number[]) {
  const D = SAM3_DEMO.textDim;
  const features = new Float32Array(ids.length * D);
  ids.forEach((id, s) => {
    for (let d = 0; d < D; d++) features[s * D + d] = Math.cos(id * (d + 1) * 0.01) * attentionMask[s];
  });
  return { features, padding: Uint8Array.from(attentionMask, (m) => (m === 0 ? 1 : 0)) };
}

const mean = (values: Float32Array) => values.reduce((s, v) => s + v, 0) / values.length;

/** The decoder in plain JS for one image and one prompt. */
export function sam3DemoDecoderReference(
  vision: Sam3DemoVision,
  text: { features: Float32Array; padding: Uint8Array },
) {
  const { numQueries: Q, maskSize: M, textDim: D } = SAM3_DEMO;
  const n = text.padding.reduce((count, pad) => count + (pad ? 0 : 1), 0);
  const threshold = 0.25 * text.features[D];
  const brightness = mean(vision.fpn_feat_1);
  const posMix = mean(vision.fpn_feat_2.map((v, i) => v * vision.fpn_pos_2[i]));
  const predLogits = Float32Array.from({ length: Q }, (_, q) => 4 - 2 * Math.abs(q - n) + brightness);
  const presenceLogit = 3 - 0.5 * n + 0.25 * posMix;
  const predMasks = new Float32Array(Q * M * M);
  for (let q = 0; q < Q; q++) {
    const sign = q % 2 === 0 ? 8 : -8;
    const channel = vision.fpn_feat_0.subarray((q % 3) * M * M, ((q % 3) + 1) * M * M);
    for (let i = 0; i < M * M; i++) predMasks[q * M * M + i] = sign * (channel[i] - threshold);
  }
  const predBoxes = Float32Array.from(Array.from({ length: Q }, (_, q) => sam3DemoBox(q)).flat());
  return { predMasks, predBoxes, predLogits, presenceLogit };
}

/** HF's default pad id is `<|endoftext|>`; the tiny vocab puts it at the end, like the real one (49407). */
export function sam3DemoPadTokenId(): number {
  const vocab = (buildClipBpeTokenizerJson(SAM3_DEMO.words).model as { vocab: Record<string, number> }).vocab;
  return vocab[CLIP_EOS];
}

export const sam3Demo: DemoModel = {
  family: 'sam3',
  files: () => ({
    [SAM3_DEFAULT_MANIFEST.graphs.vision_encoder.file]: buildSam3DemoVisionEncoder(),
    [SAM3_DEFAULT_MANIFEST.graphs.text_encoder.file]: buildSam3DemoTextEncoder(),
    [SAM3_DEFAULT_MANIFEST.graphs.decoder.file]: buildSam3DemoDecoder(),
    'tokenizer.json': JSON.stringify(buildClipBpeTokenizerJson(SAM3_DEMO.words)),
    'tokenizer_config.json': JSON.stringify(buildClipBpeTokenizerConfig()),
  }),
  manifest: demoManifest('sam3', {
    source: 'focal demo (closed-form SAM3 stand-in, jamjamjon/usls SAM3 3-graph I/O)',
    preprocessing: { image_size: SAM3_DEMO.imageSize },
    config: {
      box_format: 'xyxy',
      pad_token_id: sam3DemoPadTokenId(),
      max_text_length: SAM3_DEMO.textLength,
      mask_size: SAM3_DEMO.maskSize,
    },
  }),
};
