import type { Tokenizer } from '@huggingface/tokenizers';
import { InvalidInputError } from '@focal/contracts';
import { singleTokenId } from '../../text/single-token.js';

/** Token positions [start, end) of one prompt inside the merged text's input_ids. */
export interface PhraseSpan {
  start: number;
  end: number;
}

export interface GroundingDinoText {
  inputIds: number[];
  tokenTypeIds: number[];
  attentionMask: number[];
  /** spans[i] belongs to prompts[i]. */
  spans: PhraseSpan[];
}

const PHRASE_SEPARATOR = '.';

/** HF `_merge_candidate_labels_text`: `strip().lower()` each label, join with ". ", end with ".". */
export function mergeCandidateLabels(prompts: readonly string[]): string {
  return `${prompts.map((p) => p.trim().toLowerCase()).join(`${PHRASE_SEPARATOR} `)}${PHRASE_SEPARATOR}`;
}

/**
 * Phrase spans read off the encoded ids: the tokens between [CLS] and [SEP], cut at every separator token.
 * Invariant: a prompt holds no separator itself (the params reject it), so there is one span per prompt.
 */
export function phraseSpans(inputIds: readonly number[], separatorId: number): PhraseSpan[] {
  const spans: PhraseSpan[] = [];
  let start = 1;
  for (let i = 1; i < inputIds.length - 1; i++) {
    if (inputIds[i] !== separatorId) continue;
    spans.push({ start, end: i });
    start = i + 1;
  }
  return spans;
}

/**
 * Tokenizes prompts the way the HF Grounding DINO processor does (one merged "a. b." text, [CLS] … [SEP]) and
 * locates each prompt's tokens. Fails with InvalidInputError when the text does not fit the model's text length
 * or a prompt yields no token.
 */
export function encodeGroundingDinoPrompts(
  tokenizer: Tokenizer,
  prompts: readonly string[],
  maxTextLen: number,
): GroundingDinoText {
  const encoding = tokenizer.encode(mergeCandidateLabels(prompts), { return_token_type_ids: true });
  if (encoding.ids.length > maxTextLen) {
    throw new InvalidInputError(`prompts make ${encoding.ids.length} tokens; the model reads at most ${maxTextLen}`);
  }
  const spans = phraseSpans(encoding.ids, singleTokenId(tokenizer, PHRASE_SEPARATOR));
  if (spans.length !== prompts.length) {
    throw new Error(`found ${spans.length} phrases in the tokenized prompt text, expected ${prompts.length}`);
  }
  const empty = spans.findIndex((span) => span.end <= span.start);
  if (empty >= 0) throw new InvalidInputError(`prompts[${empty}] yields no token the model can read`);
  return {
    inputIds: encoding.ids,
    tokenTypeIds: encoding.token_type_ids,
    attentionMask: encoding.attention_mask,
    spans,
  };
}
