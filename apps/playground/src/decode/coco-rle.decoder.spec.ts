import { cocoCountsFromString, decodeCocoRle } from './coco-rle.decoder.js';

describe('cocoCountsFromString', () => {
  it('reads the hand-encoded example "231N" as [2, 3, 1, 1] (the last run is 1 = 3 + (−2))', () => {
    expect(cocoCountsFromString('231N')).toEqual([2, 3, 1, 1]);
  });

  it('reads multi-group values: "T3" = 4 + 3·32 = 100', () => {
    expect(cocoCountsFromString('T3')).toEqual([100]);
  });

  it('sign-extends a multi-group delta: "0b1:hN" = [0, 50, 10, 10 − 50 + 50]', () => {
    // 'b' = 50 → group 18 with "more"; '1' = 1 → 18 + 32 = 50. 'h','N' = 24 + (−2)·32 = −40, added to 50.
    expect(cocoCountsFromString('0b1:hN')).toEqual([0, 50, 10, 10]);
  });

  it('refuses characters outside 48..111 and truncated groups', () => {
    expect(() => cocoCountsFromString('2 ')).toThrow(RangeError);
    expect(() => cocoCountsFromString('b')).toThrow(/truncated/);
  });
});

describe('decodeCocoRle', () => {
  it('walks down columns: [1, 2, 3] on a 2×3 mask sets (x=0,y=1) and (x=1,y=0)', () => {
    // Column-major pixels: (0,0)=0, (0,1)=1, (1,0)=1, (1,1)=0, (2,0)=0, (2,1)=0 → runs [1, 2, 3] = "123".
    expect(Array.from(decodeCocoRle({ size: [2, 3], counts: '123' }))).toEqual([0, 1, 0, 1, 0, 0]);
  });

  it('gives a full mask for [0, H·W] and an empty one for [H·W]', () => {
    expect(Array.from(decodeCocoRle({ size: [2, 2], counts: '04' }))).toEqual([1, 1, 1, 1]);
    expect(Array.from(decodeCocoRle({ size: [2, 2], counts: '4' }))).toEqual([0, 0, 0, 0]);
  });

  it('decodes a rectangle: a 4×5 mask with columns 1..3, rows 1..2 set is [5, 2, 2, 2, 2, 2, 5]', () => {
    // Runs below 16 need one group each: '5','2','2','2','2','2','5'; deltas from the third on: 2−5=−3 …
    const runs = [5, 2, 2, 2, 2, 2, 5];
    const counts = runs.map((run, i) => String.fromCharCode(48 + encodeOne(i > 2 ? run - runs[i - 2] : run))).join('');
    const mask = decodeCocoRle({ size: [4, 5], counts });
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 5; x++) expect(mask[y * 5 + x]).toBe(x >= 1 && x <= 3 && y >= 1 && y <= 2 ? 1 : 0);
    }
  });

  it('refuses runs that do not cover the mask exactly', () => {
    expect(() => decodeCocoRle({ size: [2, 2], counts: '3' })).toThrow(/covers 3 of 4/);
    expect(() => decodeCocoRle({ size: [2, 2], counts: '5' })).toThrow(RangeError);
  });
});

/** One 5-bit group for −16 ≤ v < 16 (what the encoder writes for small values). */
function encodeOne(value: number): number {
  if (value < -16 || value >= 16) throw new RangeError('test helper only encodes one group');
  return value & 0x1f;
}
