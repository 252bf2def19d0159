import { resizeBicubicFloat } from '../../image/bicubic-float.resizer.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface Intrinsics {
  fx: number;
  fy: number;
  cx: number;
  cy: number;
}

/**
 * The model's depth map ([1,h,w] or [1,1,h,w]) resized to the original image size as HF's
 * post_process_depth_estimation does: bicubic, align_corners=False.
 */
export function depthAtOriginalSize(depth: Tensor, height: number, width: number): Float32Array {
  const dims = depth.dims;
  const [h, w] = [dims[dims.length - 2], dims[dims.length - 1]];
  return resizeBicubicFloat((depth.data as Float32Array).subarray(0, h * w), h, w, height, width);
}

/**
 * Intrinsics predicted at the network's input size ([1,3,3] or [1,N,3,3]) rescaled to the original
 * image: focal lengths and principal point scale with each axis.
 */
export function intrinsicsAtOriginalSize(
  intrinsics: Tensor,
  input: { height: number; width: number },
  original: { height: number; width: number },
): Intrinsics {
  const k = intrinsics.data as Float32Array;
  const sx = original.width / input.width;
  const sy = original.height / input.height;
  return { fx: k[0] * sx, fy: k[4] * sy, cx: k[2] * sx, cy: k[5] * sy };
}
