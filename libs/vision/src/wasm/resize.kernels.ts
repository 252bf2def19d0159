import type { AxisWeights, FixedPointWeights } from '../image/antialias.weights.js';
import { VISION_KERNELS } from './kernels.module.js';

/**
 * The resizes' passes as WebAssembly (libs/vision/assembly/resize.kernels.ts): the antialiased byte passes
 * (torch's uint8 kernels, int32 sums of fixed-point products), the antialiased float passes (float64 sums) and
 * torch's non-antialiased bicubic on float maps. Inputs are read, never written; outputs are fresh arrays.
 */

/** Interleaved RGB bytes, `rows` rows of `inWidth` → `axis.outSize` wide (torch's uint8 horizontal pass). */
export function horizontal8(src: Uint8Array, inWidth: number, rows: number, axis: FixedPointWeights): Uint8Array {
  const call = VISION_KERNELS.call();
  const [s, start, count, fixed] = [src, axis.start, axis.count, axis.fixed].map((a) => call.input(a));
  const bytes = axis.outSize * rows * 3;
  const out = call.reserve(bytes);
  const buffer = call.prepare();
  call.run('horizontal8', s, inWidth, rows, axis.outSize, axis.maxTaps, start, count, fixed, axis.precision, out);
  return new Uint8Array(buffer, out, bytes).slice();
}

/** Rows of `width` RGB pixels → `axis.outSize` rows (torch's uint8 vertical pass). */
export function vertical8(src: Uint8Array, width: number, axis: FixedPointWeights): Uint8Array {
  const call = VISION_KERNELS.call();
  const stride = width * 3;
  const [s, start, count, fixed] = [src, axis.start, axis.count, axis.fixed].map((a) => call.input(a));
  const out = call.reserve(axis.outSize * stride);
  const buffer = call.prepare();
  call.run('vertical8', s, stride, axis.outSize, axis.maxTaps, start, count, fixed, axis.precision, out);
  return new Uint8Array(buffer, out, axis.outSize * stride).slice();
}

/** Interleaved RGB bytes → planar [3, rows, outWidth] float32, `weights` being the axis's with the rescale folded in. */
export function rgb8ToPlanarRows(
  src: Uint8Array,
  inWidth: number,
  rows: number,
  horizontal: AxisWeights,
  weights: Float64Array,
): Float32Array {
  const call = VISION_KERNELS.call();
  const [s, start, count, w] = [src, horizontal.start, horizontal.count, weights].map((a) => call.input(a));
  const values = 3 * rows * horizontal.outSize;
  const planes = call.reserve(values * 4);
  const buffer = call.prepare();
  call.run('horizontalRgb8ToPlanar', s, inWidth, rows, horizontal.outSize, horizontal.maxTaps, start, count, w, planes);
  return new Float32Array(buffer, planes, values).slice();
}

/**
 * Both float passes: the horizontal one as rgb8ToPlanarRows, then the vertical one, each value stored as
 * (v − mean[c]) / std[c]; the rows between the passes never leave the module.
 */
export function rgb8ToPlanarResized(
  src: Uint8Array,
  inWidth: number,
  rows: number,
  horizontal: AxisWeights,
  weights: Float64Array,
  vertical: AxisWeights,
  mean: readonly number[],
  std: readonly number[],
): Float32Array {
  const call = VISION_KERNELS.call();
  const outWidth = horizontal.outSize;
  const [s, hStart, hCount, hWeights] = [src, horizontal.start, horizontal.count, weights].map((a) => call.input(a));
  const [vStart, vCount, vWeights] = [vertical.start, vertical.count, vertical.weights].map((a) => call.input(a));
  const [rowPlane, outPlane] = [rows * outWidth * 4, vertical.outSize * outWidth * 4];
  const planes = call.reserve(3 * rowPlane);
  const acc = call.reserve(outWidth * 8);
  const out = call.reserve(3 * outPlane);
  const buffer = call.prepare();
  call.run('horizontalRgb8ToPlanar', s, inWidth, rows, outWidth, horizontal.maxTaps, hStart, hCount, hWeights, planes);
  for (let c = 0; c < 3; c++) {
    const [from, to] = [planes + c * rowPlane, out + c * outPlane];
    call.run(
      'verticalFloat',
      from,
      outWidth,
      vertical.outSize,
      vertical.maxTaps,
      vStart,
      vCount,
      vWeights,
      acc,
      mean[c],
      std[c],
      to,
    );
  }
  return new Float32Array(buffer, out, 3 * vertical.outSize * outWidth).slice();
}

/** Four taps per output along one axis: edge-clamped source indices and their weights. */
export interface FourTaps {
  readonly index: Int32Array;
  readonly weight: Float64Array;
}

/** torch's bicubic (align_corners=False) of a srcHeight × srcWidth float32 map, with the taps of each axis. */
export function bicubicFloat(
  src: Float32Array,
  srcHeight: number,
  srcWidth: number,
  xs: FourTaps,
  ys: FourTaps,
): Float32Array {
  const call = VISION_KERNELS.call();
  const [dstWidth, dstHeight] = [xs.index.length / 4, ys.index.length / 4];
  const s = call.input(src.subarray(0, srcHeight * srcWidth));
  const [xi, xw, yi, yw] = [xs.index, xs.weight, ys.index, ys.weight].map((a) => call.input(a));
  const rows = call.reserve(srcHeight * dstWidth * 8);
  const out = call.reserve(dstHeight * dstWidth * 4);
  const buffer = call.prepare();
  call.run('bicubicFloat', s, srcHeight, srcWidth, dstHeight, dstWidth, xi, xw, yi, yw, rows, out);
  return new Float32Array(buffer, out, dstHeight * dstWidth).slice();
}
