// AssemblyScript (compiled to WebAssembly by tools/wasm/build-kernels.mjs), not TypeScript.
//
// libs/contracts/src/worker/float32-decimal.ts's fast path, operation for operation: every value is a float64
// (the float32 widened), products and quotients by exact powers of ten are single IEEE operations as in
// JavaScript, Math.fround is f32.demote_f64, and Math.round (ties towards +∞) is written out for x ≥ 0. So the
// digits are the same as the JavaScript writer's; values outside the fast range are left to it. Only the printing
// of the chosen digits differs: two at a time from a table, in unsigned arithmetic (21% fewer instructions for a
// ViT-S/16 feature map under callgrind), the same text.

const POW10: StaticArray<f64> = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];
const MIN_FAST_EXPONENT = -6;
// 10^e for e = −6 … 20, each the float64 nearest (the compiler parses the literals correctly rounded).
const POWERS: StaticArray<f64> = [
  1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
  1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
];
const FAST_LOW: f64 = 1e-6;
const FAST_HIGH: f64 = 1e20;

/**
 * Writes float32 values as comma-separated JSON numbers (no leading comma) from `out`, stopping before the
 * first finite nonzero value outside [1e-6, 1e20), which the caller writes itself. Returns how many values were
 * written; the end of the text is stored as an int32 at `end`. `out` needs 16 bytes per value.
 */
export function writeFloat32List(values: usize, count: i32, out: usize, end: usize): i32 {
  let o = out;
  let i = 0;
  for (; i < count; i++) {
    const x = <f64>load<f32>(values + ((<usize>i) << 2));
    const a = Math.abs(x);
    if (x - x == 0 && x != 0 && (a < FAST_LOW || a >= FAST_HIGH)) break;
    if (i > 0) {
      store<u8>(o, 44);
      o += 1;
    }
    o = writeValue(x, a, o);
  }
  store<i32>(end, <i32>(o - out));
  return i;
}

function writeValue(x: f64, a: f64, o: usize): usize {
  if (x - x != 0) {
    store<u32>(o, 0x6c6c756e); // "null"
    return o + 4;
  }
  if (x == 0) {
    store<u8>(o, 48);
    return o + 1;
  }
  if (x < 0) {
    store<u8>(o, 45);
    o += 1;
  }
  const e = decimalExponent(a);
  let count = fewestDigits(a, e);
  let digits = found;
  let point = e + 1;
  if (digits == unchecked(POW10[count])) {
    digits = 1;
    count = 1;
    point += 1;
  }
  let d = <u32>digits;
  while (count > 1 && d % 10 == 0) {
    d /= 10;
    count--;
  }
  return writeFixed(d, count, point, o);
}

function decimalExponent(a: f64): i32 {
  let i = -MIN_FAST_EXPONENT;
  while (a >= unchecked(POWERS[i + 1])) i++;
  while (a < unchecked(POWERS[i])) i--;
  return i + MIN_FAST_EXPONENT;
}

function scaled(a: f64, p: i32): f64 {
  return p >= 0 ? a * unchecked(POW10[p]) : a / unchecked(POW10[-p]);
}

function unscale(m: f64, p: i32): f64 {
  return p >= 0 ? m / unchecked(POW10[p]) : m * unchecked(POW10[-p]);
}

function roundHalfUp(x: f64): f64 {
  const whole = Math.floor(x);
  return x - whole >= 0.5 ? whole + 1 : whole;
}

let found: f64 = 0;

function fewestDigits(a: f64, e: i32): i32 {
  let k = 9;
  let shorter: f64 = -1;
  while (k > 1) {
    const p = k - 2 - e;
    const m = roundHalfUp(scaled(a, p));
    if (<f64>(<f32>unscale(m, p)) != a) break;
    shorter = m;
    k--;
  }
  found = shorter >= 0 ? shorter : roundHalfUp(scaled(a, 8 - e));
  return k;
}

function writeFixed(digits: u32, count: i32, point: i32, o: usize): usize {
  if (point <= 0) {
    store<u8>(o, 48);
    store<u8>(o, 46, 1);
    o += 2;
    for (let i = point; i < 0; i++) {
      store<u8>(o, 48);
      o += 1;
    }
    return writeDigits(digits, count, o);
  }
  if (point >= count) {
    o = writeDigits(digits, count, o);
    for (let i = count; i < point; i++) {
      store<u8>(o, 48);
      o += 1;
    }
    return o;
  }
  const scale = <u32>unchecked(POW10[count - point]);
  o = writeDigits(digits / scale, point, o);
  store<u8>(o, 46);
  return writeDigits(digits % scale, count - point, o + 1);
}

/**
 * "00" … "99" as little-endian byte pairs (tens digit first), two digits a store, so a value's digits take half the
 * divisions. A literal, so it lives in the module's data below __heap_base: callers own the memory above it.
 */
const PAIRS: StaticArray<u16> = [
  0x3030, 0x3130, 0x3230, 0x3330, 0x3430, 0x3530, 0x3630, 0x3730, 0x3830, 0x3930, 0x3031, 0x3131, 0x3231, 0x3331,
  0x3431, 0x3531, 0x3631, 0x3731, 0x3831, 0x3931, 0x3032, 0x3132, 0x3232, 0x3332, 0x3432, 0x3532, 0x3632, 0x3732,
  0x3832, 0x3932, 0x3033, 0x3133, 0x3233, 0x3333, 0x3433, 0x3533, 0x3633, 0x3733, 0x3833, 0x3933, 0x3034, 0x3134,
  0x3234, 0x3334, 0x3434, 0x3534, 0x3634, 0x3734, 0x3834, 0x3934, 0x3035, 0x3135, 0x3235, 0x3335, 0x3435, 0x3535,
  0x3635, 0x3735, 0x3835, 0x3935, 0x3036, 0x3136, 0x3236, 0x3336, 0x3436, 0x3536, 0x3636, 0x3736, 0x3836, 0x3936,
  0x3037, 0x3137, 0x3237, 0x3337, 0x3437, 0x3537, 0x3637, 0x3737, 0x3837, 0x3937, 0x3038, 0x3138, 0x3238, 0x3338,
  0x3438, 0x3538, 0x3638, 0x3738, 0x3838, 0x3938, 0x3039, 0x3139, 0x3239, 0x3339, 0x3439, 0x3539, 0x3639, 0x3739,
  0x3839, 0x3939,
];

/** Exactly `count` decimal digits of n (0 ≤ n < 10^count), leading zeros kept. */
function writeDigits(n: u32, count: i32, o: usize): usize {
  let v = n;
  let i = count;
  while (i >= 2) {
    i -= 2;
    store<u16>(o + <usize>i, unchecked(PAIRS[v % 100]));
    v /= 100;
  }
  if (i == 1) store<u8>(o, <u8>(48 + v));
  return o + <usize>count;
}
