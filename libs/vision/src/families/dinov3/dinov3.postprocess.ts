import { BytesValue, TensorFormat, TensorValue } from '@focal/contracts';
import { compactFloat32 } from '../../encoding/index.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface Dinov3Features {
  /** T×D values, row-major. May view the graph's output buffer (no copy). */
  lastHiddenState: Float32Array;
  /** D values, never aliasing lastHiddenState. */
  poolerOutput: Float32Array;
  tokens: number;
  dim: number;
}

/** A feature array as the client asked for it: nested lists in JSON, or a compact {dtype, shape, data}. */
export type FeatureOutput = TensorValue | { dtype: string; shape: number[]; data: BytesValue };

/**
 * One image's outputs ([1,T,D] and optionally [1,D]). Without a pooler output the CLS token (index 0
 * of last_hidden_state, after the final norm) is the pooled feature, as in HF.
 */
export function dinov3Features(lastHiddenState: Tensor, poolerOutput: Tensor | undefined): Dinov3Features {
  const [, tokens, dim] = lastHiddenState.dims;
  const data = (lastHiddenState.data as Float32Array).subarray(0, tokens * dim);
  const pooled = poolerOutput ? (poolerOutput.data as Float32Array).subarray(0, dim) : data.slice(0, dim);
  return { lastHiddenState: data, poolerOutput: pooled, tokens, dim };
}

/** Stacks per-image arrays into one [B, ...shape] array; a single image's array is used as it is. */
export function stackFeatures(rows: Float32Array[], shape: readonly number[], format: TensorFormat): FeatureOutput {
  const data = rows.length === 1 ? rows[0] : concat(rows);
  const full = [rows.length, ...shape];
  if (format === 'json') return new TensorValue(data, full);
  const compact = compactFloat32(data, full, format);
  return { dtype: compact.dtype, shape: compact.shape, data: new BytesValue(compact.bytes) };
}

function concat(rows: Float32Array[]): Float32Array {
  const out = new Float32Array(rows.reduce((n, row) => n + row.length, 0));
  let offset = 0;
  for (const row of rows) {
    out.set(row, offset);
    offset += row.length;
  }
  return out;
}
