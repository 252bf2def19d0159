import { encodeSam3Prompt } from './sam3.prompt.js';
import { demoClipTokenizer } from './spec-support.js';

describe('encodeSam3Prompt', () => {
  const tokenizer = demoClipTokenizer();
  const bos = tokenizer.token_to_id('<|startoftext|>') as number;
  const eos = tokenizer.token_to_id('<|endoftext|>') as number;
  const id = (token: string) => tokenizer.token_to_id(token) as number;

  it('gives start, words, end, then the pad id up to the fixed length, with an attention mask', () => {
    const { inputIds, attentionMask } = encodeSam3Prompt(tokenizer, 'Red  Ball', { maxLength: 8, padTokenId: eos });
    expect(inputIds).toEqual([bos, id('red</w>'), id('ball</w>'), eos, eos, eos, eos, eos]);
    expect(attentionMask).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
  });

  it('pads with 0 for Meta-derived exports', () => {
    const { inputIds, attentionMask } = encodeSam3Prompt(tokenizer, 'cat', { maxLength: 5, padTokenId: 0 });
    expect(inputIds).toEqual([bos, id('cat</w>'), eos, 0, 0]);
    expect(attentionMask).toEqual([1, 1, 1, 0, 0]);
  });

  it('cuts a long prompt to the length but keeps its end token', () => {
    const { inputIds, attentionMask } = encodeSam3Prompt(tokenizer, 'red ball dog cat sky', {
      maxLength: 4,
      padTokenId: 0,
    });
    expect(inputIds).toEqual([bos, id('red</w>'), id('ball</w>'), eos]);
    expect(attentionMask).toEqual([1, 1, 1, 1]);
  });
});
