import { jsonChunks } from './json-chunks.writer.js';
import { BytesValue, TensorValue } from './wire-values.js';

const written = (value: unknown) => Array.from(jsonChunks(value)).join('');

/** Float32 values that print with many digits, as real features do. */
function features(length: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => Math.sin(i * 0.37) * 3.1 + (i % 7 === 0 ? 1e-8 : 0));
}

describe('jsonChunks', () => {
  it('writes what JSON.stringify writes (through toJSON) for every tensor rank', () => {
    // [40, 1, 1, 1, 1, 1, 1]: small but bracket-heavy, each value opens and closes seven lists.
    for (const shape of [[], [5], [3, 4], [2, 3, 4], [2, 1, 3, 2], [40, 1, 1, 1, 1, 1, 1]]) {
      const size = shape.reduce((n, d) => n * d, 1);
      const tensor = new TensorValue(features(size), shape);
      expect(written({ t: tensor })).toBe(JSON.stringify({ t: tensor }));
    }
  });

  it('writes the nested lists the guide shows: [B][T][D] of numbers and [H][W] of 0/1', () => {
    const hidden = new TensorValue(Float32Array.from([1, 2, 3, 4, 5, 6]), [1, 2, 3]);
    expect(JSON.parse(written(hidden))).toEqual([
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ]);
    const mask = new TensorValue(Uint8Array.from([0, 1, 1, 0]), [2, 2]);
    expect(written(mask)).toBe('[[0,1],[1,0]]');
  });

  it('writes float32 values as the fewest digits that read back as the same float32', () => {
    const values = features(1000);
    const parsed = JSON.parse(written(new TensorValue(values, [10, 100]))) as number[][];
    expect(Float32Array.from(parsed.flat(), Math.fround)).toEqual(values);
    expect(written(new TensorValue(Float32Array.from([0.1, 1 / 3, -2.5]), [3]))).toBe('[0.1,0.33333334,-2.5]');
  });

  it('writes NaN and infinities as null, like JSON.stringify, and empty dimensions as empty lists', () => {
    const odd = new TensorValue(Float32Array.from([NaN, Infinity, -0, 1]), [2, 2]);
    expect(written(odd)).toBe('[[null,null],[0,1]]');
    expect(written(new TensorValue(new Float32Array(0), [2, 0]))).toBe('[[],[]]');
    expect(written(new TensorValue(new Float32Array(0), [0, 3]))).toBe('[]');
  });

  it('writes bytes as base64 and plain values exactly as JSON.stringify does', () => {
    const value = {
      depth_data: new BytesValue(Uint8Array.from([1, 2, 3, 250])),
      metadata: { shape: [2, 3], min: 0.1, kind: 'depth', skipped: undefined, quote: 'a "b" \u2028' },
      list: [1, undefined, null, 'x', true, { a: [] }],
      processing_time: 0.012345,
    };
    expect(written(value)).toBe(JSON.stringify(value));
    expect(JSON.parse(written(value)).depth_data).toBe(Buffer.from([1, 2, 3, 250]).toString('base64'));
  });

  it('streams a large tensor in many bounded chunks', () => {
    const tensor = new TensorValue(features(201 * 384), [1, 201, 384]);
    const chunks = Array.from(jsonChunks({ features: { last_hidden_state: tensor } }));
    expect(chunks.length).toBeGreaterThan(10);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(128 * 1024);
    expect(chunks.join('')).toBe(JSON.stringify({ features: { last_hidden_state: tensor } }));
  });

  it('streams large bytes as base64 in bounded chunks that join to the whole text', () => {
    // 49,152 bytes are one 64 KiB chunk of base64; the lengths around it end with one, two or no padding chars.
    for (const length of [49_151, 49_152, 49_153, 98_305, 308_736]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 2_654_435_761) >>> 24);
      const value = { data: new BytesValue(bytes), shape: [length], dtype: 'uint8' };
      const chunks = Array.from(jsonChunks({ features: value }));
      expect(chunks.join('')).toBe(JSON.stringify({ features: value }));
      // A block, or the text around one (the keys, a base64 of at most one block).
      expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(65 * 1024);
      expect(chunks.length).toBeGreaterThanOrEqual(Math.ceil((length * 4) / 3 / (64 * 1024)));
    }
  });

  it('writes bytes viewed inside a larger buffer from their own offset', () => {
    const backing = Uint8Array.from({ length: 200_003 }, (_, i) => i % 251);
    const view = backing.subarray(3, 150_003);
    const text = Array.from(jsonChunks(new BytesValue(view))).join('');
    expect(JSON.parse(text)).toBe(Buffer.from(view).toString('base64'));
  });
});
