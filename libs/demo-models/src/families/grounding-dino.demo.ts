import { OnnxGraphBuilder, attr } from '../onnx-graph.builder.js';
import type { DemoModel } from '../demo-model.js';
import { buildWordPieceTokenizerConfig, buildWordPieceTokenizerJson } from './tokenizer.wordpiece.js';
import { demoManifest } from '../demo-manifest.js';

/**
 * Grounding DINO demo with the onnx-community/grounding-dino-tiny-ONNX I/O
 * (`pixel_values [B,3,H,W]`, `pixel_mask [B,H,W]`, `input_ids`/`token_type_ids`/`attention_mask [B,T]`
 * → `logits [B,900,256]`, `pred_boxes [B,900,4]` cxcywh) and a closed-form body:
 *
 *   brightness[b]   = mean over (c, y, x) of pixel_values · pixel_mask
 *   logits[b, q, t] = M[q, t] + brightness[b]   where attention_mask[b, t] = 1 and t < T,   −∞ elsewhere
 *   pred_boxes[b,q] = BOX(q)                    (the same for every image)
 *
 * M is the background value except where query q "fires" on token position t (see `groundingDinoDemoFiring`).
 * Token ids are not read: a query fires on a position, whatever token sits there, so a test picks the phrase
 * a query lands on by choosing the prompt.
 */
export const GROUNDING_DINO_DEMO = {
  numQueries: 900,
  maxTextLen: 256,
  background: -6,
  /** Queries below this fire; they cycle over token positions 1..firingPositions. */
  firingQueries: 48,
  firingPositions: 12,
  words: [
    '.',
    'a',
    'the',
    'cat',
    'dog',
    'red',
    'blue',
    'ball',
    'car',
    'person',
    'tree',
    'traffic',
    'light',
    'sky',
    '##s',
  ],
} as const;

export interface DemoFiring {
  position: number;
  logit: number;
}

/**
 * Where query q fires. Queries < 48 fire on position 1 + q mod 12 with logit 3 − 0.5·⌊q/12⌋; every fourth of
 * them also fires, one logit lower, on position 1 + (q + 5) mod 12. The rest only have the background.
 */
export function groundingDinoDemoFiring(q: number): DemoFiring[] {
  const { firingQueries, firingPositions } = GROUNDING_DINO_DEMO;
  if (q >= firingQueries) return [];
  const primary = { position: 1 + (q % firingPositions), logit: 3 - 0.5 * Math.floor(q / firingPositions) };
  if (q % 4 !== 0) return [primary];
  return [primary, { position: 1 + ((q + 5) % firingPositions), logit: primary.logit - 1 }];
}

/** Box of query q, cxcywh normalised; every box lies inside the image. */
export function groundingDinoDemoBox(q: number): [number, number, number, number] {
  return [
    0.25 + (0.5 * ((q * 7) % 20)) / 20,
    0.25 + (0.5 * ((q * 11) % 20)) / 20,
    0.1 + (0.3 * ((q * 3) % 10)) / 10,
    0.1 + (0.3 * ((q * 13) % 10)) / 10,
  ];
}

/** Per query: the one-hot index and logit delta over the background of its first and second firing. */
function firingTables() {
  const { numQueries, background } = GROUNDING_DINO_DEMO;
  const tables = { pos: [[], []] as number[][], delta: [[], []] as number[][] };
  for (let q = 0; q < numQueries; q++) {
    const firings = groundingDinoDemoFiring(q);
    for (const k of [0, 1]) {
      tables.pos[k].push(firings[k]?.position ?? 0);
      tables.delta[k].push(firings[k] ? firings[k].logit - background : 0);
    }
  }
  return tables;
}

/** M [900,256] = background + Σ_k onehot(pos_k) · delta_k, built in-graph so the file stays small. */
function logitMatrix(g: OnnxGraphBuilder): string {
  const { numQueries: Q, maxTextLen: L, background } = GROUNDING_DINO_DEMO;
  const tables = firingTables();
  let matrix = g.floats([background], [1]);
  for (const k of [0, 1]) {
    const oneHot = g.node(
      'OneHot',
      [g.int64s(tables.pos[k], [Q]), g.int64s([L], [1]), g.floats([0, 1], [2])],
      [attr.int('axis', -1)],
    );
    const scaled = g.node('Mul', [oneHot, g.floats(tables.delta[k], [Q, 1])]);
    matrix = g.node('Add', [matrix, scaled]);
  }
  return g.node('Unsqueeze', [matrix, g.int64s([0])]);
}

/** attention_mask [B,T] → bool [B,1,256], true where the text has a real token. */
function textValidity(g: OnnxGraphBuilder, attentionMask: string): string {
  const { maxTextLen: L } = GROUNDING_DINO_DEMO;
  const maskFloat = g.node('Cast', [attentionMask], [attr.int('to', 1)]);
  const textLen = g.node('Slice', [g.node('Shape', [attentionMask]), g.int64s([1]), g.int64s([2])]);
  const padEnd = g.node('Sub', [g.int64s([L]), textLen]);
  const pads = g.node('Concat', [g.int64s([0, 0, 0]), padEnd], [attr.int('axis', 0)]);
  const padded = g.node('Pad', [maskFloat, pads]);
  const valid = g.node('Greater', [padded, g.floats([0.5], [1])]);
  return g.node('Unsqueeze', [valid, g.int64s([1])]);
}

export function buildGroundingDinoDemoGraph(): Uint8Array {
  const { numQueries: Q, maxTextLen: L } = GROUNDING_DINO_DEMO;
  const g = new OnnxGraphBuilder('grounding-dino-demo');
  const pixels = g.input('pixel_values', 'float32', ['batch', 3, 'height', 'width']);
  const pixelMask = g.input('pixel_mask', 'int64', ['batch', 'height', 'width']);
  g.input('input_ids', 'int64', ['batch', 'sequence_length']);
  g.input('token_type_ids', 'int64', ['batch', 'sequence_length']);
  const attentionMask = g.input('attention_mask', 'int64', ['batch', 'sequence_length']);

  const maskFloat = g.node('Unsqueeze', [g.node('Cast', [pixelMask], [attr.int('to', 1)]), g.int64s([1])]);
  const masked = g.node('Mul', [pixels, maskFloat]);
  // Averaged one axis at a time: a single float32 sum over millions of pixels would drift by ~1e-3.
  const mean = (x: string, axis: number) =>
    g.node('ReduceMean', [x], [attr.ints('axes', [axis]), attr.int('keepdims', 1)]);
  const brightness = mean(mean(mean(masked, 3), 2), 1);
  const brightness3 = g.node('Squeeze', [brightness, g.int64s([3])]);

  const scores = g.node('Add', [logitMatrix(g), brightness3]);
  const valid = textValidity(g, attentionMask);
  g.node('Where', [valid, scores, g.floats([-Infinity], [1])], [], ['logits']);

  const boxes = Array.from({ length: Q }, (_, q) => groundingDinoDemoBox(q)).flat();
  const zeroPerImage = g.node('Mul', [brightness3, g.floats([0], [1])]);
  g.node('Add', [g.floats(boxes, [1, Q, 4]), zeroPerImage], [], ['pred_boxes']);

  g.output('logits', 'float32', ['batch', Q, L]);
  g.output('pred_boxes', 'float32', ['batch', Q, 4]);
  return g.toBytes();
}

/**
 * The demo graph's outputs in plain JS for one image: `pixels` is the preprocessed [3,H,W] tensor (pixel_mask all
 * ones) and `attentionMask` the [T] mask of its text. Returns logits [900·256] and pred_boxes [900·4], row-major.
 */
export function groundingDinoDemoReference(pixels: Float32Array, attentionMask: readonly number[]) {
  const { numQueries: Q, maxTextLen: L, background } = GROUNDING_DINO_DEMO;
  const brightness = pixels.reduce((sum, v) => sum + v, 0) / pixels.length;
  const logits = new Float32Array(Q * L);
  for (let q = 0; q < Q; q++) {
    const row = new Array<number>(L).fill(background);
    for (const { position, logit } of groundingDinoDemoFiring(q)) row[position] = logit;
    for (let t = 0; t < L; t++) logits[q * L + t] = attentionMask[t] === 1 ? row[t] + brightness : -Infinity;
  }
  const predBoxes = Float32Array.from(Array.from({ length: Q }, (_, q) => groundingDinoDemoBox(q)).flat());
  return { logits, predBoxes };
}

export const groundingDinoDemo: DemoModel = {
  family: 'grounding_dino',
  files: () => ({
    'onnx/model.onnx': buildGroundingDinoDemoGraph(),
    'tokenizer.json': JSON.stringify(buildWordPieceTokenizerJson(GROUNDING_DINO_DEMO.words)),
    'tokenizer_config.json': JSON.stringify(buildWordPieceTokenizerConfig()),
  }),
  manifest: demoManifest('grounding_dino', {
    source: 'focal demo (closed-form Grounding DINO stand-in, onnx-community/grounding-dino-tiny-ONNX I/O)',
    preprocessing: { shortest_edge: 800, longest_edge: 1333 },
    config: { max_text_len: 256 },
  }),
};
