// AssemblyScript (compiled to WebAssembly by tools/wasm/build-kernels.mjs), not TypeScript.
//
// The passes of the resizes in libs/vision/src/image: each kernel does the same arithmetic, in the same order, as
// the scalar loops it replaced, so results are bit for bit the same:
// - the antialiased byte passes (torch's uint8 kernels) sum int32 products with wrap-around, as `(a + b) | 0`
//   does, then shift arithmetically and clamp to a byte;
// - the antialiased float passes sum float64 products tap by tap from the first tap and store float32;
// - the bicubic float map sums its four taps left to right in float64.
// SIMD lanes hold independent sums: columns of a row in the vertical passes, a pixel's channels in the horizontal
// ones. Pointers are byte offsets into memory; `start`/`count` are int32 per output, weights `maxTaps` per output.

/**
 * Interleaved RGB bytes → interleaved RGB bytes, `outWidth` wide, fixed-point weights. A pixel's three channels
 * sum in three lanes of one vector; its fourth byte (the next pixel's, or one byte past the image, which the
 * caller's layout keeps inside memory) lands in a lane that is never stored.
 */
export function horizontal8(
  src: usize,
  inWidth: i32,
  rows: i32,
  outWidth: i32,
  maxTaps: i32,
  start: usize,
  count: usize,
  fixed: usize,
  precision: i32,
  out: usize,
): void {
  const round: i32 = precision > 0 ? 1 << (precision - 1) : 0;
  const rounds = i32x4.splat(round);
  const zero = i32x4.splat(0);
  const white = i32x4.splat(255);
  let o = out;
  for (let y = 0; y < rows; y++) {
    const row = src + <usize>(y * inWidth * 3);
    for (let x = 0; x < outWidth; x++) {
      const taps = load<i32>(count + ((<usize>x) << 2));
      let p = row + <usize>(load<i32>(start + ((<usize>x) << 2)) * 3);
      let w = fixed + ((<usize>(x * maxTaps)) << 2);
      let sum = rounds;
      for (let k = 0; k < taps; k++) {
        sum = i32x4.add(sum, i32x4.mul(pixel(p), i32x4.splat(load<i32>(w))));
        p += 3;
        w += 4;
      }
      const level = i32x4.min_s(i32x4.max_s(i32x4.shr_s(sum, precision), zero), white);
      store<u8>(o, <u8>i32x4.extract_lane(level, 0));
      store<u8>(o, <u8>i32x4.extract_lane(level, 1), 1);
      store<u8>(o, <u8>i32x4.extract_lane(level, 2), 2);
      o += 3;
    }
  }
}

/** The four bytes at p as int32 lanes: r, g, b and a byte that is never used. */
function pixel(p: usize): v128 {
  return i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(p)));
}

/** Rows of `stride` bytes → `outHeight` rows, fixed-point weights; eight bytes of a row per step. */
export function vertical8(
  src: usize,
  stride: i32,
  outHeight: i32,
  maxTaps: i32,
  start: usize,
  count: usize,
  fixed: usize,
  precision: i32,
  out: usize,
): void {
  const round: i32 = precision > 0 ? 1 << (precision - 1) : 0;
  const rounds = i32x4.splat(round);
  const zero = i32x4.splat(0);
  const white = i32x4.splat(255);
  for (let y = 0; y < outHeight; y++) {
    const first = src + <usize>(load<i32>(start + ((<usize>y) << 2)) * stride);
    const taps = load<i32>(count + ((<usize>y) << 2));
    const weights = fixed + ((<usize>(y * maxTaps)) << 2);
    const o = out + <usize>(y * stride);
    let x = 0;
    for (; x + 8 <= stride; x += 8) {
      let low = rounds;
      let high = rounds;
      let p = first + <usize>x;
      for (let k = 0; k < taps; k++) {
        const w = i32x4.splat(load<i32>(weights + ((<usize>k) << 2)));
        const wide = i16x8.extend_low_i8x16_u(v128.load64_zero(p));
        low = i32x4.add(low, i32x4.mul(i32x4.extend_low_i16x8_u(wide), w));
        high = i32x4.add(high, i32x4.mul(i32x4.extend_high_i16x8_u(wide), w));
        p += <usize>stride;
      }
      low = i32x4.min_s(i32x4.max_s(i32x4.shr_s(low, precision), zero), white);
      high = i32x4.min_s(i32x4.max_s(i32x4.shr_s(high, precision), zero), white);
      const words = i16x8.narrow_i32x4_s(low, high);
      v128.store64_lane(o + <usize>x, i8x16.narrow_i16x8_u(words, words), 0);
    }
    for (; x < stride; x++) {
      let sum = round;
      let p = first + <usize>x;
      for (let k = 0; k < taps; k++) {
        sum += <i32>load<u8>(p) * load<i32>(weights + ((<usize>k) << 2));
        p += <usize>stride;
      }
      store<u8>(o + <usize>x, clampByte(sum >> precision));
    }
  }
}

/**
 * Interleaved RGB bytes → planar [3, rows, outWidth] float32, float64 weights (the rescale folded in). Red and
 * green sum in one float64 pair, blue (and the unused fourth byte) in another, each lane tap by tap.
 */
export function horizontalRgb8ToPlanar(
  src: usize,
  inWidth: i32,
  rows: i32,
  outWidth: i32,
  maxTaps: i32,
  start: usize,
  count: usize,
  weights: usize,
  out: usize,
): void {
  const plane = (<usize>(rows * outWidth)) << 2;
  for (let y = 0; y < rows; y++) {
    const row = src + <usize>(y * inWidth * 3);
    const o = out + ((<usize>(y * outWidth)) << 2);
    for (let x = 0; x < outWidth; x++) {
      const taps = load<i32>(count + ((<usize>x) << 2));
      let p = row + <usize>(load<i32>(start + ((<usize>x) << 2)) * 3);
      let w = weights + ((<usize>(x * maxTaps)) << 3);
      let redGreen = f64x2.splat(0);
      let blue = f64x2.splat(0);
      for (let k = 0; k < taps; k++) {
        const wk = f64x2.splat(load<f64>(w));
        const bytes = pixel(p);
        redGreen = f64x2.add(redGreen, f64x2.mul(f64x2.convert_low_i32x4_u(bytes), wk));
        blue = f64x2.add(blue, f64x2.mul(f64x2.convert_low_i32x4_u(v128.shuffle<i32>(bytes, bytes, 2, 3, 0, 1)), wk));
        p += 3;
        w += 8;
      }
      const at = o + ((<usize>x) << 2);
      store<f32>(at, <f32>f64x2.extract_lane(redGreen, 0));
      store<f32>(at + plane, <f32>f64x2.extract_lane(redGreen, 1));
      store<f32>(at + (plane << 1), <f32>f64x2.extract_lane(blue, 0));
    }
  }
}

/**
 * One plane of float32 rows → `outHeight` rows, float64 sums two columns at a time, each stored as
 * float32((sum − mean) / std). `acc` is scratch for `width` float64 values.
 */
export function verticalFloat(
  src: usize,
  width: i32,
  outHeight: i32,
  maxTaps: i32,
  start: usize,
  count: usize,
  weights: usize,
  acc: usize,
  mean: f64,
  std: f64,
  out: usize,
): void {
  const rowBytes = (<usize>width) << 2;
  for (let y = 0; y < outHeight; y++) {
    const first = src + <usize>load<i32>(start + ((<usize>y) << 2)) * rowBytes;
    const taps = load<i32>(count + ((<usize>y) << 2));
    const w = weights + ((<usize>(y * maxTaps)) << 3);
    // The first tap initialises the sums (every output has one), as the scalar loop did.
    scaleRow(first, width, load<f64>(w), acc);
    for (let k = 1; k < taps; k++)
      addScaledRow(first + <usize>k * rowBytes, width, load<f64>(w + ((<usize>k) << 3)), acc);
    const o = out + <usize>y * rowBytes;
    for (let x = 0; x < width; x++) {
      store<f32>(o + ((<usize>x) << 2), <f32>((load<f64>(acc + ((<usize>x) << 3)) - mean) / std));
    }
  }
}

function scaleRow(row: usize, width: i32, weight: f64, acc: usize): void {
  const w = f64x2.splat(weight);
  let x = 0;
  for (; x + 2 <= width; x += 2) {
    const v = f64x2.promote_low_f32x4(v128.load64_zero(row + ((<usize>x) << 2)));
    v128.store(acc + ((<usize>x) << 3), f64x2.mul(v, w));
  }
  for (; x < width; x++) store<f64>(acc + ((<usize>x) << 3), <f64>load<f32>(row + ((<usize>x) << 2)) * weight);
}

function addScaledRow(row: usize, width: i32, weight: f64, acc: usize): void {
  const w = f64x2.splat(weight);
  let x = 0;
  for (; x + 2 <= width; x += 2) {
    const a = acc + ((<usize>x) << 3);
    const v = f64x2.promote_low_f32x4(v128.load64_zero(row + ((<usize>x) << 2)));
    v128.store(a, f64x2.add(v128.load(a), f64x2.mul(v, w)));
  }
  for (; x < width; x++) {
    const a = acc + ((<usize>x) << 3);
    store<f64>(a, load<f64>(a) + <f64>load<f32>(row + ((<usize>x) << 2)) * weight);
  }
}

function clampByte(v: i32): u8 {
  return <u8>(v < 0 ? 0 : v > 255 ? 255 : v);
}

/**
 * torch's bicubic (align_corners=False) on one float32 map: a horizontal pass of four gathered taps per output
 * into float64 rows, then a vertical pass of four rows, two columns at a time, stored as float32. Each sum is
 * ((t0·w0 + t1·w1) + t2·w2) + t3·w3, the order the scalar loops used. `xIndex`/`yIndex` are int32 and
 * `xWeight`/`yWeight` float64, four per output; `rows` is scratch for srcHeight × dstWidth float64 values.
 */
export function bicubicFloat(
  src: usize,
  srcHeight: i32,
  srcWidth: i32,
  dstHeight: i32,
  dstWidth: i32,
  xIndex: usize,
  xWeight: usize,
  yIndex: usize,
  yWeight: usize,
  rows: usize,
  out: usize,
): void {
  for (let y = 0; y < srcHeight; y++) {
    const row = src + ((<usize>(y * srcWidth)) << 2);
    const o = rows + ((<usize>(y * dstWidth)) << 3);
    for (let x = 0; x < dstWidth; x++) {
      const i = xIndex + ((<usize>x) << 4);
      const w = xWeight + ((<usize>x) << 5);
      const t0 = <f64>load<f32>(row + ((<usize>load<i32>(i)) << 2)) * load<f64>(w);
      const t1 = <f64>load<f32>(row + ((<usize>load<i32>(i, 4)) << 2)) * load<f64>(w, 8);
      const t2 = <f64>load<f32>(row + ((<usize>load<i32>(i, 8)) << 2)) * load<f64>(w, 16);
      const t3 = <f64>load<f32>(row + ((<usize>load<i32>(i, 12)) << 2)) * load<f64>(w, 24);
      store<f64>(o + ((<usize>x) << 3), t0 + t1 + t2 + t3);
    }
  }
  const rowBytes = (<usize>dstWidth) << 3;
  for (let y = 0; y < dstHeight; y++) {
    const i = yIndex + ((<usize>y) << 4);
    const w = yWeight + ((<usize>y) << 5);
    const r0 = rows + <usize>load<i32>(i) * rowBytes;
    const r1 = rows + <usize>load<i32>(i, 4) * rowBytes;
    const r2 = rows + <usize>load<i32>(i, 8) * rowBytes;
    const r3 = rows + <usize>load<i32>(i, 12) * rowBytes;
    const w0 = load<f64>(w);
    const w1 = load<f64>(w, 8);
    const w2 = load<f64>(w, 16);
    const w3 = load<f64>(w, 24);
    const o = out + ((<usize>(y * dstWidth)) << 2);
    let x = 0;
    for (; x + 2 <= dstWidth; x += 2) {
      const at = (<usize>x) << 3;
      let sum = f64x2.mul(v128.load(r0 + at), f64x2.splat(w0));
      sum = f64x2.add(sum, f64x2.mul(v128.load(r1 + at), f64x2.splat(w1)));
      sum = f64x2.add(sum, f64x2.mul(v128.load(r2 + at), f64x2.splat(w2)));
      sum = f64x2.add(sum, f64x2.mul(v128.load(r3 + at), f64x2.splat(w3)));
      store<f32>(o + ((<usize>x) << 2), <f32>f64x2.extract_lane(sum, 0));
      store<f32>(o + ((<usize>x) << 2), <f32>f64x2.extract_lane(sum, 1), 4);
    }
    for (; x < dstWidth; x++) {
      const at = (<usize>x) << 3;
      const sum = load<f64>(r0 + at) * w0 + load<f64>(r1 + at) * w1 + load<f64>(r2 + at) * w2 + load<f64>(r3 + at) * w3;
      store<f32>(o + ((<usize>x) << 2), <f32>sum);
    }
  }
}
