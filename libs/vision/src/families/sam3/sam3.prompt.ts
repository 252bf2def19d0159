import type { Tokenizer } from '@huggingface/tokenizers';

export interface Sam3TextEncoding {
  inputIds: number[];
  attentionMask: number[];
}

export interface Sam3TextSettings {
  /** Fixed text length the encoder was traced with (32 for SAM3). */
  maxLength: number;
  /** What padding positions hold: `<|endoftext|>` (49407) in HF, 0 in Meta-derived exports. */
  padTokenId: number;
}

/**
 * CLIP tokenization padded to a fixed length, as `Sam3Processor` calls it (`padding="max_length"`): start token,
 * prompt tokens, end token, then pad ids with attention 0. A longer prompt is cut but keeps its end token, as the
 * HF tokenizer's truncation does.
 */
export function encodeSam3Prompt(tokenizer: Tokenizer, prompt: string, settings: Sam3TextSettings): Sam3TextEncoding {
  const { maxLength, padTokenId } = settings;
  const ids = tokenizer.encode(prompt).ids;
  const kept = ids.length > maxLength ? [...ids.slice(0, maxLength - 1), ids[ids.length - 1]] : ids;
  const padding = maxLength - kept.length;
  return {
    inputIds: [...kept, ...new Array<number>(padding).fill(padTokenId)],
    attentionMask: [...new Array<number>(kept.length).fill(1), ...new Array<number>(padding).fill(0)],
  };
}
