import { InvalidInputError } from '@focal/contracts';
import { NamedTensors, Tensor, TensorArray, elementCount } from './tensor.js';

function allocate(like: TensorArray, length: number): TensorArray {
  const ctor = like.constructor as new (n: number) => TensorArray;
  return new ctor(length);
}

/** A stable key for "these feeds can share one session.run": names, dtypes and shapes past dim 0. */
export function shapeKey(feeds: NamedTensors): string {
  return Object.keys(feeds)
    .sort()
    .map((name) => `${name}:${feeds[name].dtype}:${feeds[name].dims.slice(1).join('x')}`)
    .join('|');
}

/** Concatenates tensors of equal dtype and trailing dims along dim 0. */
export function concatBatch(tensors: Tensor[]): Tensor {
  const first = tensors[0];
  const total = tensors.reduce((n, t) => n + t.dims[0], 0);
  const data = allocate(
    first.data,
    tensors.reduce((n, t) => n + t.data.length, 0),
  );
  let offset = 0;
  for (const t of tensors) {
    (data as unknown as { set(src: ArrayLike<unknown>, offset: number): void }).set(
      t.data as ArrayLike<unknown>,
      offset,
    );
    offset += t.data.length;
  }
  return { dtype: first.dtype, dims: [total, ...first.dims.slice(1)], data };
}

/** Splits a tensor along dim 0 into `parts` equal slices (views, no copy). */
export function splitBatch(tensor: Tensor, parts: number): Tensor[] {
  const [batch, ...rest] = tensor.dims;
  if (batch !== parts) {
    throw new InvalidInputError(`cannot split a batch of ${batch} into ${parts} results`);
  }
  const size = elementCount(rest);
  return Array.from({ length: parts }, (_, i) => ({
    dtype: tensor.dtype,
    dims: [1, ...rest],
    data: tensor.data.subarray(i * size, (i + 1) * size) as TensorArray,
  }));
}

export function concatFeeds(feedsList: NamedTensors[]): NamedTensors {
  return Object.fromEntries(
    Object.keys(feedsList[0]).map((name) => [name, concatBatch(feedsList.map((f) => f[name]))]),
  );
}

export function splitOutputs(outputs: NamedTensors, parts: number): NamedTensors[] {
  const split = Object.entries(outputs).map(([name, t]) => [name, splitBatch(t, parts)] as const);
  return Array.from({ length: parts }, (_, i) => Object.fromEntries(split.map(([name, slices]) => [name, slices[i]])));
}
