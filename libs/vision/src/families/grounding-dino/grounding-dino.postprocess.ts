import type { ImageSize } from './grounding-dino.preprocess.js';
import type { PhraseSpan } from './grounding-dino.prompt.js';

export type BoxXyxy = [number, number, number, number];

export interface GroundingDinoDetection {
  label: string;
  score: number;
  box: BoxXyxy;
}

export interface GroundingDinoThresholds {
  boxThreshold: number;
  textThreshold: number;
}

/** One image's outputs, row-major: logits [Q·L] with L = textPositions (256 in the public export), pred_boxes [Q·4]. */
export interface GroundingDinoRawOutputs {
  logits: Float32Array;
  predBoxes: Float32Array;
  numQueries: number;
  textPositions: number;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** cxcywh normalised → xyxy in pixels of the original image (boxes are relative to the unpadded image). */
export function cxcywhToPixelXyxy(box: ArrayLike<number>, size: ImageSize): BoxXyxy {
  const [cx, cy, w, h] = [box[0], box[1], box[2], box[3]];
  return [(cx - w / 2) * size.width, (cy - h / 2) * size.height, (cx + w / 2) * size.width, (cy + h / 2) * size.height];
}

function meanProb(probs: Float32Array, span: PhraseSpan): number {
  let sum = 0;
  for (let t = span.start; t < span.end; t++) sum += probs[t];
  return sum / (span.end - span.start);
}

function maxProb(probs: Float32Array, span: PhraseSpan): number {
  let max = 0;
  for (let t = span.start; t < span.end; t++) max = Math.max(max, probs[t]);
  return max;
}

/**
 * Which prompt a box answers, given its token probabilities:
 *  1. A phrase's score is the mean probability over its tokens, the way Grounding DINO's own COCO evaluation maps
 *     token probabilities to categories (its `positive_map` spreads each category evenly over its tokens). The mean
 *     lets the distinguishing word decide between phrases sharing a word ("red ball" vs "blue ball").
 *  2. Candidates are the phrases with at least one token above `textThreshold`: the tokens HF's
 *     `get_phrases_from_posmap` would decode into the label (CLS, separators and SEP are in no span, so never count).
 *  3. The candidate with the highest score wins; ties go to the earlier prompt. With no candidate the phrase with
 *     the highest score overall is used, so every kept box carries a prompt (HF would give an empty label).
 */
export function winningPhrase(probs: Float32Array, spans: readonly PhraseSpan[], textThreshold: number): number {
  let best = -1;
  let bestScore = -1;
  let fallback = 0;
  let fallbackScore = -1;
  spans.forEach((span, phrase) => {
    const score = meanProb(probs, span);
    if (score > fallbackScore) [fallback, fallbackScore] = [phrase, score];
    if (maxProb(probs, span) > textThreshold && score > bestScore) [best, bestScore] = [phrase, score];
  });
  return best >= 0 ? best : fallback;
}

/**
 * HF `post_process_grounded_object_detection` for one image, with phrase-level labels. A query's score is its highest
 * token probability over all text positions, as in HF (taken as the sigmoid of the highest logit: same value, one
 * exp); queries with score > boxThreshold are kept and their boxes go to original pixels. Sorted by score, best first.
 */
export function postprocessGroundingDino(
  raw: GroundingDinoRawOutputs,
  spans: readonly PhraseSpan[],
  labels: readonly string[],
  thresholds: GroundingDinoThresholds,
  original: ImageSize,
): GroundingDinoDetection[] {
  const { numQueries, textPositions } = raw;
  const detections: GroundingDinoDetection[] = [];
  for (let q = 0; q < numQueries; q++) {
    const logits = raw.logits.subarray(q * textPositions, (q + 1) * textPositions);
    const score = sigmoid(logits.reduce((max, x) => Math.max(max, x), -Infinity));
    if (!(score > thresholds.boxThreshold)) continue;
    const probs = logits.map(sigmoid);
    detections.push({
      label: labels[winningPhrase(probs, spans, thresholds.textThreshold)],
      score,
      box: cxcywhToPixelXyxy(raw.predBoxes.subarray(q * 4, q * 4 + 4), original),
    });
  }
  return detections.sort((a, b) => b.score - a.score);
}
