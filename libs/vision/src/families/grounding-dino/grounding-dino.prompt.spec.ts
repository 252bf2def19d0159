import { InvalidInputError } from '@focal/contracts';
import { encodeGroundingDinoPrompts, mergeCandidateLabels, phraseSpans } from './grounding-dino.prompt.js';
import { demoBertTokenizer } from './spec-support.js';

describe('mergeCandidateLabels', () => {
  it('strips, lowercases, joins with ". " and ends with "." like HF', () => {
    expect(mergeCandidateLabels([' A Cat ', 'dog', 'Traffic light'])).toBe('a cat. dog. traffic light.');
    expect(mergeCandidateLabels(['person'])).toBe('person.');
  });
});

describe('phraseSpans', () => {
  it('cuts the tokens between the first and last position at every separator', () => {
    // [CLS] 7 8 . 9 . [SEP]  with "." = 5
    expect(phraseSpans([2, 7, 8, 5, 9, 5, 3], 5)).toEqual([
      { start: 1, end: 3 },
      { start: 4, end: 5 },
    ]);
  });
});

describe('encodeGroundingDinoPrompts', () => {
  const tokenizer = demoBertTokenizer();

  it('gives HF inputs for the merged text and each prompt its token span', () => {
    const text = encodeGroundingDinoPrompts(tokenizer, ['a cat', 'Red balls', 'traffic light'], 256);
    const tokens = text.inputIds.map((id) => tokenizer.id_to_token(id));
    expect(tokens).toEqual(['[CLS]', 'a', 'cat', '.', 'red', 'ball', '##s', '.', 'traffic', 'light', '.', '[SEP]']);
    expect(text.spans).toEqual([
      { start: 1, end: 3 },
      { start: 4, end: 7 },
      { start: 8, end: 10 },
    ]);
    expect(text.attentionMask).toEqual(new Array(12).fill(1));
    expect(text.tokenTypeIds).toEqual(new Array(12).fill(0));
  });

  it('maps words outside the vocabulary to [UNK] inside the right span', () => {
    const text = encodeGroundingDinoPrompts(tokenizer, ['zebra', 'dog'], 256);
    expect(text.inputIds.map((id) => tokenizer.id_to_token(id))).toEqual(['[CLS]', '[UNK]', '.', 'dog', '.', '[SEP]']);
    expect(text.spans).toEqual([
      { start: 1, end: 2 },
      { start: 3, end: 4 },
    ]);
  });

  it('refuses text longer than the model reads', () => {
    expect(() => encodeGroundingDinoPrompts(tokenizer, ['a cat', 'dog'], 5)).toThrow(InvalidInputError);
    expect(() => encodeGroundingDinoPrompts(tokenizer, ['a cat', 'dog'], 7)).not.toThrow();
  });

  it('refuses a prompt that yields no token', () => {
    expect(() => encodeGroundingDinoPrompts(tokenizer, ['\u0000', 'dog'], 256)).toThrow(/prompts\[0\] yields no token/);
  });
});
