import { cosineSimilarity, similarityTo } from './cosine.similarity.js';

describe('cosineSimilarity', () => {
  it('is 1 for parallel, −1 for opposite and 0 for orthogonal vectors, whatever their length', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 2, 3], [-0.5, -1, -1.5])).toBeCloseTo(-1, 12);
    expect(cosineSimilarity([1, 0, 0], [0, 5, 0])).toBe(0);
  });

  it('equals cos θ for vectors θ apart in a plane', () => {
    const theta = 0.7;
    expect(cosineSimilarity([3, 0], [Math.cos(theta), Math.sin(theta)])).toBeCloseTo(Math.cos(theta), 12);
  });

  it('is 0 against a zero vector and refuses vectors of different lengths', () => {
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(RangeError);
  });
});

describe('similarityTo', () => {
  it('gives 1 for the query row itself and cos of the others', () => {
    const rows = [
      [1, 0],
      [0, 1],
      [1, 1],
    ];
    expect(Array.from(similarityTo(rows, 0), (x) => +x.toFixed(12))).toEqual([1, 0, +Math.SQRT1_2.toFixed(12)]);
  });
});
