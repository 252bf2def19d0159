import { rleCountsColumnMajor } from './coco-rle.counts.js';
import { decodeCocoRle } from './coco-rle.decoder.js';
import { encodeCocoRle } from './coco-rle.encoder.js';
import { cocoCountsFromString, cocoCountsToString } from './coco-rle.string.js';
import { countOnes, maskFrom, randomMask, seededRandom } from './spec-support.js';

/** A column vector (W=1) reads the same in row- and column-major order, so spec examples apply directly. */
function column(values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

describe('rleCountsColumnMajor', () => {
  it('matches the spec example [0 0 1 1 1 0 1] → [2,3,1,1]', () => {
    expect(rleCountsColumnMajor(column([0, 0, 1, 1, 1, 0, 1]), 7, 1)).toEqual([2, 3, 1, 1]);
  });

  it('starts with a zero-length run when pixel (0,0) is set', () => {
    expect(rleCountsColumnMajor(column([1, 1, 0]), 3, 1)).toEqual([0, 2, 1]);
  });

  it('walks down columns, not along rows', () => {
    // 2×3, row-major [[1,0,0],[1,0,1]]: column-major stream is 1,1 | 0,0 | 0,1.
    expect(rleCountsColumnMajor(Uint8Array.from([1, 0, 0, 1, 0, 1]), 2, 3)).toEqual([0, 2, 3, 1]);
  });

  it.each([
    [1, 1],
    [1, 9],
    [9, 1],
    [7, 13],
  ])('gives [H·W] for an empty %i×%i mask and [0, H·W] for a full one', (h, w) => {
    expect(rleCountsColumnMajor(new Uint8Array(h * w), h, w)).toEqual([h * w]);
    expect(rleCountsColumnMajor(new Uint8Array(h * w).fill(1), h, w)).toEqual([0, h * w]);
  });

  it('places single pixels in each corner of a 7×13 mask at their column-major offsets', () => {
    const [h, w] = [7, 13];
    const single = (x: number, y: number) =>
      rleCountsColumnMajor(
        maskFrom(h, w, (i, j) => i === x && j === y),
        h,
        w,
      );
    expect(single(0, 0)).toEqual([0, 1, h * w - 1]);
    expect(single(0, h - 1)).toEqual([h - 1, 1, h * w - h]);
    expect(single(w - 1, 0)).toEqual([(w - 1) * h, 1, h - 1]);
    expect(single(w - 1, h - 1)).toEqual([h * w - 1, 1]);
  });

  it('has runs that sum to H·W and odd runs that sum to the area', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 20; trial++) {
      const [h, w] = [1 + Math.floor(random() * 30), 1 + Math.floor(random() * 30)];
      const mask = randomMask(h, w, random(), random);
      const counts = rleCountsColumnMajor(mask, h, w);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(h * w);
      expect(counts.filter((_, i) => i % 2 === 1).reduce((a, b) => a + b, 0)).toBe(countOnes(mask));
      expect(counts.slice(1).every((c) => c >= 1)).toBe(true);
    }
  });
});

describe('COCO counts string', () => {
  it('encodes the spec example by hand: [2,3,1,1] → "231N" (1−3 = −2 → 0b11110 → 48+30)', () => {
    expect(cocoCountsToString([2, 3, 1, 1])).toBe('231N');
  });

  it('splits large values into 5-bit groups: 100 = 4 + 3·32 → (4|0x20)+48, 3+48 = "T3"', () => {
    expect(cocoCountsToString([100])).toBe('T3');
  });

  it('sign-extends a multi-group negative delta: −40 → "hN"', () => {
    // 50 = 18 + 1·32, and 18 has the sign bit, so it needs a second group: (18|0x20)+48 = 'b', then '1'.
    // The fourth value is the delta 10 − 50 = −40 = 24 + (−2)·32: (24|0x20)+48 = 'h', then −2 → 30+48 = 'N'.
    expect(cocoCountsToString([0, 50, 10, 10])).toBe('0b1:hN');
    expect(cocoCountsFromString('hN')).toEqual([-40]);
  });

  it('round-trips arbitrary counts, including ones beyond 32 bits', () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 200; trial++) {
      const counts = Array.from({ length: 1 + Math.floor(random() * 12) }, () =>
        Math.floor(random() * 2 ** (1 + Math.floor(random() * 45))),
      );
      expect(cocoCountsFromString(cocoCountsToString(counts))).toEqual(counts);
    }
  });

  it('only emits characters in 48..111', () => {
    const text = cocoCountsToString([0, 2 ** 40, 3, 1, 2 ** 20, 7]);
    expect([...text].every((ch) => ch.charCodeAt(0) >= 48 && ch.charCodeAt(0) <= 111)).toBe(true);
  });
});

/** Strings produced by pycocotools 2.0.11 `mask.encode(np.asfortranarray(m))` for masks rebuilt here by formula. */
const PYCOCOTOOLS_VECTORS: {
  name: string;
  h: number;
  w: number;
  inside: (x: number, y: number) => boolean;
  counts: string;
}[] = [
  { name: '7×1 spec example', h: 7, w: 1, inside: (_x, y) => [2, 3, 4, 6].includes(y), counts: '231N' },
  { name: 'empty 10×10', h: 10, w: 10, inside: () => false, counts: 'T3' },
  { name: 'full 3×4', h: 3, w: 4, inside: () => true, counts: '0<' },
  { name: 'last pixel of 3×4', h: 3, w: 4, inside: (x, y) => x === 3 && y === 2, counts: ';1' },
  {
    name: 'diagonal pattern 7×13',
    h: 7,
    w: 13,
    inside: (x, y) => (3 * x + 5 * y) % 7 < 3,
    counts: '012000O01110O10N20N20O10OOO01000O01110O10N20N20O0',
  },
  {
    name: 'disc in 40×30',
    h: 40,
    w: 30,
    inside: (x, y) => (x - 14) ** 2 + (y - 20) ** 2 <= 144,
    counts: 'T31S18J4M2N2N2N2O0O2O00000O20N1000001N101N2N2N2N3L6HX3',
  },
  {
    name: 'rectangle and stray pixel in 100×100',
    h: 100,
    w: 100,
    inside: (x, y) => (x >= 10 && x <= 60 && y >= 5 && y <= 95) || (x === 80 && y === 50),
    counts: `]o0k29${'0'.repeat(99)}il1VMK`,
  },
  { name: 'run at 4000 in 1×5000', h: 1, w: 5000, inside: (x) => x >= 4000 && x <= 4002, counts: 'Pm33Uo0' },
];

describe('encodeCocoRle / decodeCocoRle', () => {
  it.each(PYCOCOTOOLS_VECTORS)('matches pycocotools for $name', ({ h, w, inside, counts }) => {
    const mask = maskFrom(h, w, inside);
    expect(encodeCocoRle(mask, h, w)).toEqual({ size: [h, w], counts });
    expect(decodeCocoRle({ size: [h, w], counts })).toEqual(mask);
  });

  it('round-trips random masks of many shapes and densities', () => {
    const random = seededRandom(2024);
    for (let trial = 0; trial < 300; trial++) {
      const h = 1 + Math.floor(random() * 40);
      const w = 1 + Math.floor(random() * 40);
      const mask = randomMask(h, w, random(), random);
      expect(decodeCocoRle(encodeCocoRle(mask, h, w))).toEqual(mask);
    }
  });

  it.each([
    [1, 1],
    [1, 17],
    [17, 1],
    [7, 13],
  ])('round-trips empty, full and every single-pixel %i×%i mask', (h, w) => {
    const masks: Uint8Array[] = [new Uint8Array(h * w), new Uint8Array(h * w).fill(1)];
    for (let i = 0; i < h * w; i++) masks.push(maskFrom(h, w, (x, y) => y * w + x === i));
    for (const mask of masks) expect(decodeCocoRle(encodeCocoRle(mask, h, w))).toEqual(mask);
  });

  it('rejects a mask whose length does not match the size', () => {
    expect(() => encodeCocoRle(new Uint8Array(11), 3, 4)).toThrow(/11 values.*3×4/);
  });

  it('rejects non-binary masks and non-integer sizes', () => {
    expect(() => encodeCocoRle(Uint8Array.from([0, 255]), 1, 2)).toThrow(/only 0 and 1.*255/);
    expect(() => encodeCocoRle(new Uint8Array(2), 1.5, 2)).toThrow(/positive integers/);
    expect(() => encodeCocoRle(new Uint8Array(0), 0, 0)).toThrow(/positive integers/);
  });

  it('rejects counts that do not cover the declared size', () => {
    expect(() => decodeCocoRle({ size: [10, 11], counts: 'T3' })).toThrow(/sum to 100.*110 pixels/);
    expect(() => decodeCocoRle({ size: [3, 4], counts: '' })).toThrow(/sum to 0/);
  });

  it('rejects characters outside 48..111', () => {
    expect(() => decodeCocoRle({ size: [3, 4], counts: '0p' })).toThrow(/invalid character "p" at position 1/);
    expect(() => decodeCocoRle({ size: [3, 4], counts: '/<' })).toThrow(/invalid character "\/" at position 0/);
  });

  it('rejects a string that ends inside a value', () => {
    expect(() => decodeCocoRle({ size: [10, 10], counts: 'T' })).toThrow(/truncated/);
  });

  it('rejects counts that decode to negative runs', () => {
    // "231N" then "N": the fifth count is −2 + counts[2] = −1.
    expect(() => decodeCocoRle({ size: [7, 1], counts: '231NN' })).toThrow(/-1 at index 4/);
  });

  it('rejects a malformed size', () => {
    expect(() => decodeCocoRle({ size: [7] as unknown as [number, number], counts: '7' })).toThrow(/\[height, width\]/);
  });
});
