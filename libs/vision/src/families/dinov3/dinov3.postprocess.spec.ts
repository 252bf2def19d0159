import { BytesValue, TensorValue } from '@focal/contracts';
import { float32Tensor } from '../../tensor/tensor.js';
import { dinov3Features, stackFeatures } from './dinov3.postprocess.js';

/** [1, T, D] with element (t, d) = 10·t + d, so every value names its own position. */
function hiddenState(tokens: number, dim: number) {
  return float32Tensor(
    Float32Array.from({ length: tokens * dim }, (_, i) => 10 * Math.floor(i / dim) + (i % dim)),
    [1, tokens, dim],
  );
}

describe('dinov3Features', () => {
  it('returns last_hidden_state as T rows of D values', () => {
    const features = dinov3Features(hiddenState(3, 2), undefined);
    expect([features.tokens, features.dim]).toEqual([3, 2]);
    expect(Array.from(features.lastHiddenState)).toEqual([0, 1, 10, 11, 20, 21]);
  });

  it('uses the graph pooler_output when there is one', () => {
    const pooler = float32Tensor(Float32Array.from([0.5, -0.5]), [1, 2]);
    expect(Array.from(dinov3Features(hiddenState(3, 2), pooler).poolerOutput)).toEqual([0.5, -0.5]);
  });

  it('falls back to the CLS token (token 0) without a pooler output', () => {
    const features = dinov3Features(hiddenState(6, 4), undefined);
    expect(Array.from(features.poolerOutput)).toEqual([0, 1, 2, 3]);
  });

  it('gives a pooled copy that does not alias the CLS row', () => {
    const features = dinov3Features(hiddenState(2, 3), undefined);
    features.poolerOutput[0] = 42;
    expect(features.lastHiddenState[0]).toBe(0);
  });

  it('reads only the first D values of a longer pooler buffer', () => {
    const pooler = float32Tensor(Float32Array.from([1, 2, 3, 4]), [2, 2]);
    expect(Array.from(dinov3Features(hiddenState(2, 2), pooler).poolerOutput)).toEqual([1, 2]);
  });
});

describe('stackFeatures', () => {
  const rows = [Float32Array.from([1, 2, 3, 4]), Float32Array.from([5, 6, 7, 8])];

  it('json: a [B, ...shape] tensor that renders as the guide’s nested lists', () => {
    const stacked = stackFeatures(rows, [2, 2], 'json') as TensorValue;
    expect(stacked.shape).toEqual([2, 2, 2]);
    expect(stacked.toJSON()).toEqual([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ]);
  });

  it('base64: dtype, shape and the stacked little-endian bytes', () => {
    const stacked = stackFeatures(rows, [4], 'base64') as { dtype: string; shape: number[]; data: BytesValue };
    expect(stacked.dtype).toBe('float32');
    expect(stacked.shape).toEqual([2, 4]);
    const bytes = Buffer.from(stacked.data.toBase64(), 'base64');
    expect(Array.from({ length: 8 }, (_, i) => bytes.readFloatLE(i * 4))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('npy: the data is a .npy file', () => {
    const stacked = stackFeatures(rows.slice(0, 1), [4], 'npy') as { data: BytesValue };
    expect(Buffer.from(stacked.data.data.subarray(1, 6)).toString('latin1')).toBe('NUMPY');
  });
});
