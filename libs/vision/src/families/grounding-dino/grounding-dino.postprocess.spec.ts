import { cxcywhToPixelXyxy, postprocessGroundingDino, winningPhrase } from './grounding-dino.postprocess.js';

const logit = (p: number) => Math.log(p / (1 - p));
const L = 16;

/** logits [Q·L] from per-query maps position → probability; everything else is far below any threshold. */
function logitsFrom(rows: Array<Record<number, number>>, textLength: number): Float32Array {
  const logits = new Float32Array(rows.length * L);
  rows.forEach((row, q) => {
    for (let t = 0; t < L; t++) logits[q * L + t] = t >= textLength ? -Infinity : t in row ? logit(row[t]) : -20;
  });
  return logits;
}

// [CLS] red ball . blue ball . dog . [SEP]
const spans = [
  { start: 1, end: 3 },
  { start: 4, end: 6 },
  { start: 7, end: 8 },
];
const labels = ['Red ball', 'blue ball', 'dog'];

describe('cxcywhToPixelXyxy', () => {
  it('converts a normalised centre box to corner pixels of the original image', () => {
    expect(cxcywhToPixelXyxy([0.5, 0.25, 0.2, 0.1], { width: 640, height: 480 })).toEqual([
      0.4 * 640,
      0.2 * 480,
      0.6 * 640,
      0.3 * 480,
    ]);
  });
});

describe('winningPhrase', () => {
  const probs = (row: Record<number, number>) => Float32Array.from({ length: L }, (_, t) => row[t] ?? 0);

  it('lets the distinguishing word decide between phrases sharing a word', () => {
    expect(winningPhrase(probs({ 1: 0.6, 2: 0.7, 4: 0.1, 5: 0.7 }), spans, 0.25)).toBe(0);
    expect(winningPhrase(probs({ 1: 0.1, 2: 0.7, 4: 0.6, 5: 0.7 }), spans, 0.25)).toBe(1);
  });

  it('only considers phrases with a token above text_threshold', () => {
    // "red ball" has the higher mean (0.2) but no token above 0.25; "dog" has one at 0.3.
    expect(winningPhrase(probs({ 1: 0.2, 2: 0.2, 7: 0.3 }), spans, 0.25)).toBe(2);
  });

  it('falls back to the best mean when no phrase token passes text_threshold', () => {
    expect(winningPhrase(probs({ 0: 0.9, 3: 0.9, 4: 0.2, 5: 0.2, 7: 0.1 }), spans, 0.25)).toBe(1);
  });

  it('ignores CLS, separators and SEP, which belong to no phrase', () => {
    expect(winningPhrase(probs({ 0: 0.99, 3: 0.99, 8: 0.99, 9: 0.99, 7: 0.3 }), spans, 0.25)).toBe(2);
  });

  it('breaks ties towards the earlier prompt', () => {
    expect(winningPhrase(probs({ 2: 0.8, 5: 0.8 }), spans, 0.25)).toBe(0);
  });
});

describe('postprocessGroundingDino', () => {
  const textLength = 10;
  const rows: Array<Record<number, number>> = [
    { 1: 0.9, 2: 0.95 }, // red ball, score 0.95
    { 7: 0.3 }, // dog, score 0.3: dropped by box_threshold 0.35
    { 4: 0.5, 5: 0.6 }, // blue ball, 0.6
    { 0: 0.8 }, // CLS only: kept (score is over every position, as in HF), label by fallback
    { 7: 0.36 }, // dog, 0.36
  ];
  const predBoxes = Float32Array.from(rows.flatMap((_, q) => [0.1 * (q + 1), 0.5, 0.1, 0.2]));
  const raw = { logits: logitsFrom(rows, textLength), predBoxes, numQueries: rows.length, textPositions: L };
  const size = { width: 200, height: 100 };
  const result = postprocessGroundingDino(raw, spans, labels, { boxThreshold: 0.35, textThreshold: 0.25 }, size);

  it('keeps queries whose best token probability passes box_threshold, sorted by score', () => {
    expect(result.map((d) => d.score)).toEqual([0.95, 0.8, 0.6, 0.36].map((p) => expect.closeTo(p, 6)));
  });

  it('labels each box with the winning prompt, as sent', () => {
    expect(result.map((d) => d.label)).toEqual(['Red ball', 'Red ball', 'blue ball', 'dog']);
  });

  it('returns boxes of the kept queries in original pixels', () => {
    const expected = [0, 3, 2, 4].map((q) => cxcywhToPixelXyxy([0.1 * (q + 1), 0.5, 0.1, 0.2], size));
    result.forEach((d, i) => d.box.forEach((v, k) => expect(v).toBeCloseTo(expected[i][k], 4)));
  });

  it('treats -inf logits past the text as probability 0', () => {
    const none = postprocessGroundingDino(raw, spans, labels, { boxThreshold: 0.96, textThreshold: 0.25 }, size);
    expect(none).toEqual([]);
  });
});
