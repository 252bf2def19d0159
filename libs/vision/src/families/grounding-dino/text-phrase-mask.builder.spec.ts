import { GROUNDING_DINO_SPECIAL_TOKEN_IDS, buildTextPhraseMask } from './text-phrase-mask.builder.js';

const [CLS, SEP, DOT, QUESTION] = GROUNDING_DINO_SPECIAL_TOKEN_IDS;

/** Row i of one batch row's T×T mask as a 0/1 string, e.g. "01110000". */
function rows(mask: Uint8Array, length: number, batchRow = 0): string[] {
  return Array.from({ length }, (_, i) =>
    Array.from(mask.subarray((batchRow * length + i) * length, (batchRow * length + i + 1) * length)).join(''),
  );
}

/** Block-diagonal closed form: tokens in the same block attend to each other, every token to itself. */
function blockDiagonal(length: number, blocks: number[][]): string[] {
  const blockOf = new Map<number, number>();
  blocks.forEach((block, b) => block.forEach((t) => blockOf.set(t, b)));
  return Array.from({ length }, (_, i) =>
    Array.from({ length }, (_, j) =>
      i === j || (blockOf.has(i) && blockOf.get(i) === blockOf.get(j)) ? '1' : '0',
    ).join(''),
  );
}

describe('buildTextPhraseMask (HF generate_masks_with_special_tokens_and_transfer_map)', () => {
  it('makes one block per phrase with its separator, positions restarting at 0; [CLS] and [SEP] stand alone', () => {
    // [CLS] a cat . red ball . [SEP]
    const ids = [CLS, 1037, 4937, DOT, 2417, 3608, DOT, SEP];
    const { selfAttentionMask, positionIds } = buildTextPhraseMask(ids, 1, 8);
    expect(rows(selfAttentionMask, 8)).toEqual(
      blockDiagonal(8, [
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    expect(Array.from(positionIds)).toEqual([0, 0, 1, 2, 0, 1, 2, 0]);
  });

  it('differs between one and three phrases of the same length (what a traced graph cannot follow)', () => {
    const one = buildTextPhraseMask([CLS, 7, 8, 9, 10, 11, DOT, SEP], 1, 8);
    const three = buildTextPhraseMask([CLS, 7, DOT, 9, DOT, 11, DOT, SEP], 1, 8);
    expect(rows(one.selfAttentionMask, 8)).toEqual(blockDiagonal(8, [[1, 2, 3, 4, 5, 6]]));
    expect(rows(three.selfAttentionMask, 8)).toEqual(
      blockDiagonal(8, [
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    );
    expect(Array.from(one.positionIds)).toEqual([0, 0, 1, 2, 3, 4, 5, 0]);
    expect(Array.from(three.positionIds)).toEqual([0, 0, 1, 0, 1, 0, 1, 0]);
  });

  it('treats "?" as a separator, and leaves padding after [SEP] to itself at position 0', () => {
    const ids = [CLS, 5, QUESTION, 6, DOT, SEP, 0, 0];
    const { selfAttentionMask, positionIds } = buildTextPhraseMask(ids, 1, 8);
    expect(rows(selfAttentionMask, 8)).toEqual(
      blockDiagonal(8, [
        [1, 2],
        [3, 4],
      ]),
    );
    expect(Array.from(positionIds)).toEqual([0, 0, 1, 0, 1, 0, 0, 0]);
  });

  it('gives a separator in the last position only itself, so the tokens before it get no block', () => {
    const { selfAttentionMask, positionIds } = buildTextPhraseMask([CLS, 5, 6, DOT], 1, 4);
    expect(rows(selfAttentionMask, 4)).toEqual(blockDiagonal(4, []));
    expect(Array.from(positionIds)).toEqual([0, 0, 0, 0]);
  });

  it('puts leading tokens before the first special token in its block, counting from 0 (no [CLS] row)', () => {
    const { selfAttentionMask, positionIds } = buildTextPhraseMask([5, 6, DOT, 7], 1, 4);
    expect(rows(selfAttentionMask, 4)).toEqual(blockDiagonal(4, [[0, 1, 2]]));
    expect(Array.from(positionIds)).toEqual([0, 1, 2, 0]);
  });

  it('builds every batch row on its own, so stacked rows equal rows built alone', () => {
    const a = [CLS, 5, DOT, 6, 7, DOT, SEP];
    const b = [8, 9, 10, DOT, SEP, 0, 0];
    const stacked = buildTextPhraseMask([...a, ...b], 2, 7);
    const alone = [buildTextPhraseMask(a, 1, 7), buildTextPhraseMask(b, 1, 7)];
    expect(Array.from(stacked.selfAttentionMask)).toEqual([
      ...alone[0].selfAttentionMask,
      ...alone[1].selfAttentionMask,
    ]);
    expect(Array.from(stacked.positionIds)).toEqual([...alone[0].positionIds, ...alone[1].positionIds]);
  });

  it('accepts bigint ids and other special ids, and refuses a length that does not fit', () => {
    const ids = BigInt64Array.from([1n, 5n, 3n, 2n]);
    const { positionIds } = buildTextPhraseMask(ids, 1, 4, [1, 2, 3]);
    expect(Array.from(positionIds)).toEqual([0, 0, 1, 0]);
    expect(() => buildTextPhraseMask([CLS, SEP], 1, 3)).toThrow(/2 values, expected 1×3/);
  });
});
