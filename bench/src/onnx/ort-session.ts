import ort from 'onnxruntime-node';
import { focalSessionOptions } from '@focal/onnx-runtime';
import type { NamedTensors, Tensor, TensorArray } from '@focal/vision';

/**
 * A CPU session with the options the inference worker uses (focalSessionOptions with FOCAL_INTRA_OP_THREADS=0): all
 * graph optimisations, onnxruntime's default thread count, no spinning once a run has ended.
 */
export function createCpuSession(path: string): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(path, focalSessionOptions(['cpu'], 0));
}

export function toOrtTensor(tensor: Tensor): ort.Tensor {
  return new ort.Tensor(tensor.dtype, tensor.data as ort.Tensor['data'] & TensorArray, tensor.dims);
}

export function toOrtFeeds(feeds: NamedTensors): Record<string, ort.Tensor> {
  return Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, toOrtTensor(t)]));
}

/** Stacks n copies of a batch-1 tensor along dim 0 (for batched session.run). */
export function repeatBatch(tensor: Tensor, n: number): Tensor {
  const data = new Float32Array(tensor.data.length * n);
  for (let i = 0; i < n; i++) data.set(tensor.data as Float32Array, i * tensor.data.length);
  return { dtype: tensor.dtype, dims: [n, ...tensor.dims.slice(1)], data };
}

export function onnxRuntimeVersion(): string {
  return ort.env.versions?.common ?? 'unknown';
}
