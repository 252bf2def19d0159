/**
 * The token ids HF Grounding DINO treats as phrase boundaries: bert-base-uncased [CLS], [SEP], "." and "?"
 * (`SPECIAL_TOKENS` in modeling_grounding_dino.py). HF hard-codes them whatever the tokenizer, so a graph exported
 * from an HF model reproduces PyTorch only if Focal uses the same ids.
 */
export const GROUNDING_DINO_SPECIAL_TOKEN_IDS: readonly number[] = [101, 102, 1012, 1029];

export interface TextPhraseMask {
  batch: number;
  length: number;
  /** [B·T·T], 1 where token i may attend to token j (HF's boolean `text_self_attention_masks`, not inverted). */
  selfAttentionMask: Uint8Array;
  /** [B·T], each token's position inside its phrase block (HF's `position_ids`). */
  positionIds: Int32Array;
}

/**
 * HF `generate_masks_with_special_tokens_and_transfer_map` (transformers 5.24, the vectorised form), over typed
 * arrays. Per row, a token belongs to the block closed by the next special token at or after it; tokens of one block
 * attend to each other and their positions count from the previous special token. A block closed at the first or
 * last position, or by no special token at all (padding after [SEP]), is no block: its tokens attend only to
 * themselves at position 0. So each phrase with its "." is one block, and [CLS]/[SEP] stand alone.
 *
 * The older loop form (transformers 4.x, what the public export was traced from) agrees for every row that starts
 * with a special token, which a tokenized prompt always does ([CLS]). The ids decide the blocks, which is why a
 * traced graph bakes the dummy prompt's blocks in and Focal's recipe takes this result as graph inputs instead.
 */
export function buildTextPhraseMask(
  inputIds: ArrayLike<number | bigint>,
  batch: number,
  length: number,
  specialIds: readonly number[] = GROUNDING_DINO_SPECIAL_TOKEN_IDS,
): TextPhraseMask {
  if (inputIds.length !== batch * length) {
    throw new Error(`input_ids hold ${inputIds.length} values, expected ${batch}×${length}`);
  }
  const special = new Set(specialIds);
  const mask = new Uint8Array(batch * length * length);
  const positions = new Int32Array(batch * length);
  for (let r = 0; r < batch; r++) {
    const isSpecial = (t: number) => special.has(Number(inputIds[r * length + t]));
    const cell = (i: number, j: number) => (r * length + i) * length + j;
    let blockStart = 0;
    let previousSpecial = -1;
    for (let t = 0; t < length; t++) {
      mask[cell(t, t)] = 1;
      if (!isSpecial(t)) continue;
      // Tokens blockStart..t share the closing special token t.
      if (t !== 0 && t !== length - 1) {
        for (let i = blockStart; i <= t; i++) {
          for (let j = blockStart; j <= t; j++) mask[cell(i, j)] = 1;
          positions[r * length + i] = i - previousSpecial - 1;
        }
      }
      blockStart = t + 1;
      previousSpecial = t;
    }
  }
  return { batch, length, selfAttentionMask: mask, positionIds: positions };
}
