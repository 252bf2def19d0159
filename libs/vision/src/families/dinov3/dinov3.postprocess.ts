import type { Tensor } from '../../tensor/tensor.js';

export interface Dinov3Features {
  lastHiddenState: number[][];
  poolerOutput: number[];
}

/**
 * One image's outputs ([1,T,D] and optionally [1,D]) as nested lists. Without a pooler output
 * the CLS token (index 0 of last_hidden_state, after the final norm) is the pooled feature, as in HF.
 */
export function dinov3Features(lastHiddenState: Tensor, poolerOutput: Tensor | undefined): Dinov3Features {
  const [, tokens, dim] = lastHiddenState.dims;
  const data = lastHiddenState.data as Float32Array;
  const rows = Array.from({ length: tokens }, (_, t) => Array.from(data.subarray(t * dim, (t + 1) * dim)));
  const pooled = poolerOutput ? Array.from((poolerOutput.data as Float32Array).subarray(0, dim)) : rows[0].slice();
  return { lastHiddenState: rows, poolerOutput: pooled };
}
