import type { Tokenizer } from '@huggingface/tokenizers';

/**
 * The id of a text that must tokenize to exactly one token (a separator such as "." or a special token),
 * read from the tokenizer instead of hard-coded, because vocabularies differ between exports.
 */
export function singleTokenId(tokenizer: Tokenizer, text: string): number {
  const { ids } = tokenizer.encode(text, { add_special_tokens: false });
  if (ids.length !== 1) throw new Error(`expected "${text}" to be a single token, got ${ids.length} tokens`);
  return ids[0];
}
