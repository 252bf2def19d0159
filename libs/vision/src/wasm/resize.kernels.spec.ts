import {
  AntialiasFilter,
  AxisWeights,
  FixedPointWeights,
  antialiasAxisWeights,
  toFixedPoint,
} from '../image/antialias.weights.js';
import { bicubicAxisTaps } from '../image/bicubic-float.resizer.js';
import {
  FourTaps,
  bicubicFloat,
  horizontal8,
  rgb8ToPlanarResized,
  rgb8ToPlanarRows,
  vertical8,
} from './resize.kernels.js';

// The kernels must give, bit for bit, what the passes' arithmetic gives done one tap at a time in JavaScript:
// int32 sums of fixed-point products (wrapping as `| 0` does), an arithmetic shift and a clamp on bytes; float64
// sums from the first tap, stored as float32, on floats. These scalar references are that arithmetic, written
// plainly from the weights; the sizes cover every SIMD tail (widths not a multiple of 8 bytes or 2 floats).

function seededBytes(length: number, seed: number): Uint8Array {
  let state = seed;
  return Uint8Array.from({ length }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state >>> 24;
  });
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);
const roundOf = (precision: number) => (precision > 0 ? 1 << (precision - 1) : 0);

function referenceHorizontal8(src: Uint8Array, inWidth: number, rows: number, axis: FixedPointWeights): Uint8Array {
  const out = new Uint8Array(axis.outSize * rows * 3);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < axis.outSize; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = roundOf(axis.precision);
        for (let k = 0; k < axis.count[x]; k++) {
          const p = (y * inWidth + axis.start[x] + k) * 3 + c;
          sum = (sum + src[p] * axis.fixed[x * axis.maxTaps + k]) | 0;
        }
        out[(y * axis.outSize + x) * 3 + c] = clamp(sum >> axis.precision);
      }
    }
  }
  return out;
}

function referenceVertical8(src: Uint8Array, width: number, axis: FixedPointWeights): Uint8Array {
  const stride = width * 3;
  const out = new Uint8Array(axis.outSize * stride);
  for (let y = 0; y < axis.outSize; y++) {
    for (let i = 0; i < stride; i++) {
      let sum = roundOf(axis.precision);
      for (let k = 0; k < axis.count[y]; k++) {
        sum = (sum + src[(axis.start[y] + k) * stride + i] * axis.fixed[y * axis.maxTaps + k]) | 0;
      }
      out[y * stride + i] = clamp(sum >> axis.precision);
    }
  }
  return out;
}

function referenceRows(src: Uint8Array, inWidth: number, rows: number, axis: AxisWeights, weights: Float64Array) {
  const plane = rows * axis.outSize;
  const out = new Float32Array(3 * plane);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < axis.outSize; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let k = 0; k < axis.count[x]; k++) {
          sum += src[(y * inWidth + axis.start[x] + k) * 3 + c] * weights[x * axis.maxTaps + k];
        }
        out[c * plane + y * axis.outSize + x] = sum;
      }
    }
  }
  return out;
}

function referenceResized(
  rows: Float32Array,
  inHeight: number,
  width: number,
  axis: AxisWeights,
  mean: number[],
  std: number[],
) {
  const out = new Float32Array(3 * axis.outSize * width);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < axis.outSize; y++) {
      for (let x = 0; x < width; x++) {
        const at = (k: number) => rows[(c * inHeight + axis.start[y] + k) * width + x];
        let sum = at(0) * axis.weights[y * axis.maxTaps];
        for (let k = 1; k < axis.count[y]; k++) sum += at(k) * axis.weights[y * axis.maxTaps + k];
        out[(c * axis.outSize + y) * width + x] = (sum - mean[c]) / std[c];
      }
    }
  }
  return out;
}

function referenceBicubic(src: Float32Array, inH: number, inW: number, xs: FourTaps, ys: FourTaps): Float32Array {
  const [outW, outH] = [xs.index.length / 4, ys.index.length / 4];
  const rows = new Float64Array(inH * outW);
  const tap = (taps: FourTaps, i: number, at: (index: number) => number) =>
    at(taps.index[i * 4]) * taps.weight[i * 4] +
    at(taps.index[i * 4 + 1]) * taps.weight[i * 4 + 1] +
    at(taps.index[i * 4 + 2]) * taps.weight[i * 4 + 2] +
    at(taps.index[i * 4 + 3]) * taps.weight[i * 4 + 3];
  for (let y = 0; y < inH; y++) for (let x = 0; x < outW; x++) rows[y * outW + x] = tap(xs, x, (i) => src[y * inW + i]);
  const out = new Float32Array(outH * outW);
  for (let y = 0; y < outH; y++)
    for (let x = 0; x < outW; x++) out[y * outW + x] = tap(ys, y, (i) => rows[i * outW + x]);
  return out;
}

function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let count = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) count++;
  return count;
}

/** [inWidth, inHeight, outWidth, outHeight]: downscales, upscales, 1-pixel edges and odd sizes. */
const SIZES: Array<[number, number, number, number]> = [
  [640, 480, 224, 224],
  [480, 640, 686, 518],
  [37, 23, 11, 41],
  [3, 2, 7, 5],
  [1, 1, 2, 3],
  [9, 17, 1, 1],
  [301, 199, 300, 200],
  [1000, 15, 13, 1000],
];
const FILTERS: AntialiasFilter[] = ['bilinear', 'bicubic'];

describe('antialias kernels (WebAssembly) against the scalar arithmetic', () => {
  for (const filter of FILTERS) {
    for (const [inW, inH, outW, outH] of SIZES) {
      const name = `${filter} ${inW}×${inH} → ${outW}×${outH}`;

      it(`byte passes: ${name}`, () => {
        const src = seededBytes(inW * inH * 3, inW * 31 + inH);
        const h = toFixedPoint(antialiasAxisWeights(inW, outW, filter));
        const v = toFixedPoint(antialiasAxisWeights(inH, outH, filter));
        const rows = horizontal8(src, inW, inH, h);
        expect(mismatches(rows, referenceHorizontal8(src, inW, inH, h))).toBe(0);
        expect(mismatches(vertical8(rows, outW, v), referenceVertical8(rows, outW, v))).toBe(0);
      });

      it(`float passes: ${name}`, () => {
        const src = seededBytes(inW * inH * 3, inW * 17 + inH);
        const h = antialiasAxisWeights(inW, outW, filter);
        const v = antialiasAxisWeights(inH, outH, filter);
        const weights = h.weights.map((w) => w / 255);
        const [mean, std] = [
          [0.485, 0.456, 0.406],
          [0.229, 0.224, 0.225],
        ];
        const rows = referenceRows(src, inW, inH, h, weights);
        expect(mismatches(rgb8ToPlanarRows(src, inW, inH, h, weights), rows)).toBe(0);
        const resized = rgb8ToPlanarResized(src, inW, inH, h, weights, v, mean, std);
        expect(mismatches(resized, referenceResized(rows, inH, outW, v, mean, std))).toBe(0);
      });
    }
  }

  it.each(SIZES)('bicubic float map %i×%i → %i×%i: four taps per axis, summed in order', (inW, inH, outW, outH) => {
    const src = Float32Array.from(seededBytes(inW * inH, inW + inH), (v, i) => (v - 128) / 7 + i * 1e-3);
    const [xs, ys] = [bicubicAxisTaps(inW, outW), bicubicAxisTaps(inH, outH)];
    expect(mismatches(bicubicFloat(src, inH, inW, xs, ys), referenceBicubic(src, inH, inW, xs, ys))).toBe(0);
  });

  it('leaves its inputs untouched and returns arrays of its own', () => {
    const src = seededBytes(20 * 10 * 3, 5);
    const copy = src.slice();
    const axis = toFixedPoint(antialiasAxisWeights(20, 8, 'bicubic'));
    const first = horizontal8(src, 20, 10, axis);
    const second = horizontal8(src, 20, 10, axis);
    expect(src).toEqual(copy);
    expect(first).not.toBe(second);
    expect(first.buffer).not.toBe(second.buffer);
    expect(mismatches(first, second)).toBe(0);
  });

  it('serves an image larger than the memory it keeps, then small ones again', () => {
    // 4,800 × 4,700 RGB is about 68 MB, over the 64 MB kept between calls: that call grows a memory the next
    // call no longer uses. Constant rows make the expected output plain: every output equals the row's value.
    const [width, rows] = [4800, 4700];
    const src = new Uint8Array(width * rows * 3);
    for (let y = 0; y < rows; y++) src.fill(y % 251, y * width * 3, (y + 1) * width * 3);
    const out = horizontal8(src, width, rows, toFixedPoint(antialiasAxisWeights(width, 3, 'bilinear')));
    expect(out.length).toBe(3 * rows * 3);
    expect(Array.from(out.subarray(0, 9))).toEqual(Array(9).fill(0));
    expect(Array.from(out.subarray(250 * 9, 251 * 9))).toEqual(Array(9).fill(250));
    const small = seededBytes(5 * 4 * 3, 9);
    const axis = toFixedPoint(antialiasAxisWeights(5, 3, 'bicubic'));
    expect(mismatches(horizontal8(small, 5, 4, axis), referenceHorizontal8(small, 5, 4, axis))).toBe(0);
  });
});
