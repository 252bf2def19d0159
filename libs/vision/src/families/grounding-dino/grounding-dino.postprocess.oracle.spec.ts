import {
  BertTokenizer,
  GroundingDinoImageProcessor,
  GroundingDinoProcessor as TjsGroundingDinoProcessor,
  Tensor as TjsTensor,
  env,
} from '@huggingface/transformers';
import { GROUNDING_DINO_DEMO, groundingDinoDemo, groundingDinoDemoReference } from '@focal/demo-models';
import { GroundingDinoRawOutputs, postprocessGroundingDino } from './grounding-dino.postprocess.js';
import { encodeGroundingDinoPrompts, mergeCandidateLabels } from './grounding-dino.prompt.js';
import { demoBertTokenizer } from './spec-support.js';

/**
 * Oracle: transformers.js's GroundingDinoProcessor.post_process_grounded_object_detection (a 1:1 port of HF's)
 * on the very same logits, pred_boxes and input_ids. Its labels are decoded token text, ours are prompts; where
 * its decoded text is one phrase, that phrase must be ours.
 */
env.allowRemoteModels = false;

const L = GROUNDING_DINO_DEMO.maxTextLen;
const THRESHOLDS = { boxThreshold: 0.35, textThreshold: 0.25 };
const SIZE = { width: 640, height: 427 };

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function tjsProcessor() {
  const files = groundingDinoDemo.files();
  const tokenizer = new BertTokenizer(
    JSON.parse(files['tokenizer.json'] as string),
    JSON.parse(files['tokenizer_config.json'] as string),
  );
  const imageProcessor = new GroundingDinoImageProcessor({});
  return new TjsGroundingDinoProcessor({}, { tokenizer, image_processor: imageProcessor }, null);
}

interface OracleBox {
  score: number;
  box: number[];
  label: string;
}

function runOracle(raw: GroundingDinoRawOutputs, inputIds: number[]): OracleBox[] {
  const outputs = {
    logits: new TjsTensor('float32', raw.logits, [1, raw.numQueries, L]),
    pred_boxes: new TjsTensor('float32', raw.predBoxes, [1, raw.numQueries, 4]),
  };
  const ids = new TjsTensor('int64', BigInt64Array.from(inputIds, BigInt), [1, inputIds.length]);
  const [result] = tjsProcessor().post_process_grounded_object_detection(outputs, ids, {
    box_threshold: THRESHOLDS.boxThreshold,
    text_threshold: THRESHOLDS.textThreshold,
    target_sizes: [[SIZE.height, SIZE.width]],
  });
  const boxes = (result.scores as number[]).map((score, i) => ({
    score,
    box: result.boxes[i] as number[],
    label: result.labels[i] as string,
  }));
  return boxes.sort((a, b) => b.score - a.score);
}

/** Logits where query q fires (p ≈ 0.6–0.95) on every token of phrase q mod n and nowhere else (p ≈ 0.002). */
function singlePhraseLogits(
  spans: { start: number; end: number }[],
  textLength: number,
  numQueries: number,
  random: () => number,
) {
  const logits = new Float32Array(numQueries * L).fill(-Infinity);
  for (let q = 0; q < numQueries; q++) {
    const span = spans[q % spans.length];
    for (let t = 0; t < textLength; t++) {
      const inside = t >= span.start && t < span.end;
      logits[q * L + t] = inside ? 0.4 + 2.5 * random() : -6 - random();
    }
  }
  return logits;
}

function randomBoxes(numQueries: number, random: () => number): Float32Array {
  return Float32Array.from({ length: numQueries * 4 }, (_, i) =>
    i % 4 < 2 ? 0.2 + 0.6 * random() : 0.05 + 0.3 * random(),
  );
}

/** Words of a decoded label, without separators and special tokens (the WordPiece decoder glues "." on). */
function decodedWords(label: string): string[] {
  return label.split(/[\s.]+/).filter((w) => w !== '' && !/^\[[A-Z]+\]$/.test(w));
}

/** The prompt whose words contain every decoded word, when exactly one does. */
function phraseNamedBy(label: string, prompts: string[]): string | undefined {
  const words = decodedWords(label);
  if (words.length === 0) return undefined;
  const matches = prompts.filter((p) => words.every((w) => p.split(' ').includes(w)));
  return matches.length === 1 ? matches[0] : undefined;
}

function expectSameBoxesAndScores(ours: { score: number; box: number[] }[], oracle: OracleBox[]) {
  expect(ours.length).toBe(oracle.length);
  expect(ours.length).toBeGreaterThan(0);
  ours.forEach((d, i) => {
    expect(d.score).toBeCloseTo(oracle[i].score, 6);
    d.box.forEach((v, k) => expect(v).toBeCloseTo(oracle[i].box[k], 3));
  });
}

describe('Grounding DINO post-processing against transformers.js', () => {
  const tokenizer = demoBertTokenizer();

  it('tokenizes the merged prompt text exactly like the transformers.js BertTokenizer', () => {
    const prompts = ['A cat', 'red balls', 'traffic light'];
    const ours = encodeGroundingDinoPrompts(tokenizer, prompts, L);
    const files = groundingDinoDemo.files();
    const tjs = new BertTokenizer(
      JSON.parse(files['tokenizer.json'] as string),
      JSON.parse(files['tokenizer_config.json'] as string),
    );
    const theirs = tjs(mergeCandidateLabels(prompts), { return_tensor: false }) as {
      input_ids: number[];
      token_type_ids: number[];
      attention_mask: number[];
    };
    expect(ours.inputIds).toEqual(theirs.input_ids);
    expect(ours.tokenTypeIds).toEqual(theirs.token_type_ids);
    expect(ours.attentionMask).toEqual(theirs.attention_mask);
  });

  it.each([
    ['one phrase', ['cat']],
    ['two phrases', ['a cat', 'dog']],
    ['three phrases', ['a cat', 'red ball', 'traffic light']],
  ])('%s: same boxes and scores, and each label is the phrase its decoded text names', (_, prompts) => {
    const text = encodeGroundingDinoPrompts(tokenizer, prompts, L);
    const random = seeded(prompts.length * 7);
    const numQueries = 40;
    const raw = {
      logits: singlePhraseLogits(text.spans, text.inputIds.length, numQueries, random),
      predBoxes: randomBoxes(numQueries, random),
      numQueries,
      textPositions: L,
    };
    const ours = postprocessGroundingDino(raw, text.spans, prompts, THRESHOLDS, SIZE);
    const oracle = runOracle(raw, text.inputIds);
    expectSameBoxesAndScores(ours, oracle);
    expect(new Set(oracle.map((o) => o.label))).toEqual(new Set(prompts));
    ours.forEach((d, i) => expect(d.label).toBe(phraseNamedBy(oracle[i].label, prompts)));
  });

  it('agrees on the demo graph outputs, where queries fire on different phrases of a three-phrase prompt', () => {
    const prompts = ['a cat', 'red ball', 'traffic light'];
    const text = encodeGroundingDinoPrompts(tokenizer, prompts, L);
    const { logits, predBoxes } = groundingDinoDemoReference(new Float32Array(12).fill(-0.5), text.attentionMask);
    const raw = { logits, predBoxes, numQueries: GROUNDING_DINO_DEMO.numQueries, textPositions: L };
    const ours = postprocessGroundingDino(raw, text.spans, prompts, THRESHOLDS, SIZE);
    const oracle = runOracle(raw, text.inputIds);
    expectSameBoxesAndScores(ours, oracle);
    const named = ours.map((_, i) => phraseNamedBy(oracle[i].label, prompts));
    expect(new Set(named.filter((p) => p !== undefined))).toEqual(new Set(prompts));
    ours.forEach((d, i) => {
      if (named[i] !== undefined) expect(d.label).toBe(named[i]);
    });
  });

  it('on random logits: same boxes and scores, and our phrase is always among the words transformers.js decoded', () => {
    const prompts = ['a cat', 'red ball', 'dog', 'blue car'];
    const text = encodeGroundingDinoPrompts(tokenizer, prompts, L);
    const random = seeded(99);
    const numQueries = 300;
    const logits = new Float32Array(numQueries * L).fill(-Infinity);
    for (let q = 0; q < numQueries; q++) {
      for (let t = 0; t < text.inputIds.length; t++) logits[q * L + t] = random() * 5 - 3.5;
    }
    const raw = { logits, predBoxes: randomBoxes(numQueries, random), numQueries, textPositions: L };
    const ours = postprocessGroundingDino(raw, text.spans, prompts, THRESHOLDS, SIZE);
    const oracle = runOracle(raw, text.inputIds);
    expectSameBoxesAndScores(ours, oracle);
    ours.forEach((d, i) => {
      const words = new Set(decodedWords(oracle[i].label));
      if (words.size > 0) expect(d.label.split(' ').some((w) => words.has(w))).toBe(true);
    });
  });
});
