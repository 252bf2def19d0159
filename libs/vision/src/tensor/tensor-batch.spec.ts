import { InvalidInputError } from '@focal/contracts';
import { concatBatch, concatFeeds, shapeKey, splitBatch, splitOutputs } from './tensor-batch.js';
import { NamedTensors, Tensor, float32Tensor, int64Tensor } from './tensor.js';

const f32 = (values: number[], dims: number[]) => float32Tensor(Float32Array.from(values), dims);
const i64 = (values: number[], dims: number[]) => int64Tensor(BigInt64Array.from(values.map(BigInt)), dims);

describe('shapeKey', () => {
  const base: NamedTensors = { pixel_values: f32(new Array(12).fill(0), [1, 3, 2, 2]), input_ids: i64([1, 2], [1, 2]) };

  it('ignores the batch dimension and the order of the feed names', () => {
    const reordered: NamedTensors = {
      input_ids: i64([7, 8, 9, 10], [2, 2]),
      pixel_values: f32(new Array(24).fill(1), [2, 3, 2, 2]),
    };
    expect(shapeKey(reordered)).toBe(shapeKey(base));
  });

  it.each<[string, NamedTensors]>([
    ['a trailing dimension differs', { ...base, pixel_values: f32(new Array(18).fill(0), [1, 3, 2, 3]) }],
    ['a dtype differs', { ...base, input_ids: f32([1, 2], [1, 2]) }],
    ['a feed name differs', { pixel_values: base.pixel_values, attention_mask: base.input_ids }],
    ['a feed is missing', { pixel_values: base.pixel_values }],
    ['the rank differs', { ...base, input_ids: i64([1, 2], [1, 2, 1]) }],
  ])('differs when %s', (_label, other) => {
    expect(shapeKey(other)).not.toBe(shapeKey(base));
  });
});

describe('concatBatch / splitBatch', () => {
  it('stacks float32 tensors along dim 0 and splits them back', () => {
    const a = f32([1, 2, 3, 4, 5, 6], [1, 2, 3]);
    const b = f32([7, 8, 9, 10, 11, 12], [1, 2, 3]);
    const batch = concatBatch([a, b]);
    expect(batch.dtype).toBe('float32');
    expect(batch.dims).toEqual([2, 2, 3]);
    expect(batch.data).toBeInstanceOf(Float32Array);
    expect(Array.from(batch.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const [sa, sb] = splitBatch(batch, 2);
    expect(sa.dims).toEqual([1, 2, 3]);
    expect(Array.from(sa.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(sb.data as Float32Array)).toEqual([7, 8, 9, 10, 11, 12]);
  });

  it('round-trips int64 tensors, keeping BigInt64Array and values beyond 2^53', () => {
    const big = 2n ** 60n + 3n;
    const a = int64Tensor(BigInt64Array.from([big, -1n]), [1, 2]);
    const b = int64Tensor(BigInt64Array.from([5n, 6n]), [1, 2]);
    const c = int64Tensor(BigInt64Array.from([7n, -big]), [1, 2]);
    const batch = concatBatch([a, b, c]);
    expect(batch.dtype).toBe('int64');
    expect(batch.data).toBeInstanceOf(BigInt64Array);
    expect(batch.dims).toEqual([3, 2]);
    const parts = splitBatch(batch, 3);
    expect(parts.map((p) => Array.from(p.data as BigInt64Array))).toEqual([
      [big, -1n],
      [5n, 6n],
      [7n, -big],
    ]);
    expect(parts.every((p) => p.dtype === 'int64')).toBe(true);
  });

  it('adds up batch dimensions that are larger than 1', () => {
    const batch = concatBatch([f32([1, 2, 3, 4], [2, 2]), f32([5, 6], [1, 2])]);
    expect(batch.dims).toEqual([3, 2]);
    expect(Array.from(batch.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('copies on concat, so changing an input later does not change the batch', () => {
    const a = f32([1, 2], [1, 2]);
    const batch = concatBatch([a, f32([3, 4], [1, 2])]);
    (a.data as Float32Array)[0] = 100;
    expect((batch.data as Float32Array)[0]).toBe(1);
  });

  it('splits into views of the batch (no copy)', () => {
    const batch = f32([1, 2, 3, 4], [2, 2]);
    const [, second] = splitBatch(batch, 2);
    (batch.data as Float32Array)[2] = 30;
    expect((second.data as Float32Array)[0]).toBe(30);
  });

  it('splits a scalar-per-item tensor [B] into [1] parts', () => {
    expect(splitBatch(f32([4, 5, 6], [3]), 3).map((t) => [t.dims, Array.from(t.data as Float32Array)])).toEqual([
      [[1], [4]],
      [[1], [5]],
      [[1], [6]],
    ]);
  });

  it('refuses to split a batch into a different number of parts, with a 400', () => {
    const batch = f32([1, 2, 3, 4, 5, 6], [3, 2]);
    expect(() => splitBatch(batch, 2)).toThrow(InvalidInputError);
    expect(() => splitBatch(batch, 2)).toThrow('cannot split a batch of 3 into 2 results');
  });
});

describe('concatFeeds / splitOutputs', () => {
  it('batches every named feed and gives each caller back its own outputs', () => {
    const feeds: NamedTensors[] = [0, 1, 2].map((k) => ({
      pixel_values: f32([k, k + 0.5], [1, 2]),
      input_ids: i64([10 * k], [1, 1]),
    }));
    const batched = concatFeeds(feeds);
    expect(batched.pixel_values.dims).toEqual([3, 2]);
    expect(Array.from(batched.input_ids.data as BigInt64Array)).toEqual([0n, 10n, 20n]);

    const outputs = splitOutputs(batched, 3);
    outputs.forEach((out, k) => {
      expect(Object.keys(out).sort()).toEqual(['input_ids', 'pixel_values']);
      expect(Array.from(out.pixel_values.data as Float32Array)).toEqual([k, k + 0.5]);
      expect(Array.from(out.input_ids.data as BigInt64Array)).toEqual([BigInt(10 * k)]);
    });
  });

  it('fails when any output does not have one row per caller', () => {
    const outputs: Record<string, Tensor> = { good: f32([1, 2], [2, 1]), bad: f32([1, 2, 3], [3, 1]) };
    expect(() => splitOutputs(outputs, 2)).toThrow('cannot split a batch of 3 into 2 results');
  });
});
