/** A plain tensor, independent of onnxruntime, so pre/post-processing stays pure and testable. */
export type TensorDType = 'float32' | 'int64' | 'bool' | 'uint8' | 'int32';

export type TensorArray = Float32Array | BigInt64Array | Uint8Array | Int32Array;

export interface Tensor {
  readonly dtype: TensorDType;
  readonly dims: readonly number[];
  readonly data: TensorArray;
}

export type NamedTensors = Record<string, Tensor>;

export function float32Tensor(data: Float32Array, dims: readonly number[]): Tensor {
  return { dtype: 'float32', data, dims };
}

export function int64Tensor(data: BigInt64Array, dims: readonly number[]): Tensor {
  return { dtype: 'int64', data, dims };
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1);
}
