// AssemblyScript (compiled to WebAssembly by tools/wasm/build-kernels.mjs), not TypeScript.
//
// The per-pixel loops of libs/vision/src/encoding/png16.encoder.ts, with the arithmetic of the JavaScript they
// replaced: float32 values widened to float64, Math.round's ties towards +∞.

/** The smallest and largest finite values (NaN and ±∞ skipped), stored as two float64 at `range`: +∞, −∞ if none. */
export function finiteRange(values: usize, length: i32, range: usize): void {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < length; i++) {
    const v = <f64>load<f32>(values + ((<usize>i) << 2));
    // v − v is 0 for finite values and NaN for NaN and ±∞.
    if (v - v != 0) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  store<f64>(range, min);
  store<f64>(range, max, 8);
}

/**
 * PNG scanlines of 16-bit big-endian samples, each row led by filter type 1 (Sub) and each byte stored as its
 * difference from the same byte of the pixel to its left. A finite v becomes round((v − min) / range · 65535)
 * (0 when range is 0); NaN and −∞ become 0, +∞ 65535.
 */
export function png16Scanlines(values: usize, height: i32, width: i32, min: f64, range: f64, out: usize): void {
  const stride = 1 + width * 2;
  for (let y = 0; y < height; y++) {
    let o = out + <usize>(y * stride);
    store<u8>(o, 1);
    o += 1;
    let leftHigh = 0;
    let leftLow = 0;
    const row = values + ((<usize>(y * width)) << 2);
    for (let x = 0; x < width; x++) {
      const v = <f64>load<f32>(row + ((<usize>x) << 2));
      const level = v - v == 0 ? (range > 0 ? roundHalfUp(((v - min) / range) * 65535) : 0) : v == Infinity ? 65535 : 0;
      const high = level >> 8;
      const low = level & 0xff;
      store<u8>(o, <u8>((high - leftHigh) & 0xff));
      store<u8>(o, <u8>((low - leftLow) & 0xff), 1);
      leftHigh = high;
      leftLow = low;
      o += 2;
    }
  }
}

/** Math.round for x ≥ 0: x − floor(x) is exact, so the tie test is too. */
function roundHalfUp(x: f64): i32 {
  const whole = Math.floor(x);
  return <i32>whole + (x - whole >= 0.5 ? 1 : 0);
}
