// AssemblyScript (compiled to WebAssembly by tools/wasm/build-kernels.mjs), not TypeScript.
//
// libs/contracts/src/worker/float32-decimal.ts's fast path, operation for operation: every value is a float64
// (the float32 widened), products and quotients by exact powers of ten are single IEEE operations as in
// JavaScript, Math.fround is f32.demote_f64, and Math.round (ties towards +∞) is written out for x ≥ 0. So the
// digits are the same as the JavaScript writer's; values outside the fast range are left to it.

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
  let d = <i32>digits;
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

function writeFixed(digits: i32, count: i32, point: i32, o: usize): usize {
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
  const scale = <i32>unchecked(POW10[count - point]);
  const low = digits % scale;
  o = writeDigits(digits / scale, point, o);
  store<u8>(o, 46);
  return writeDigits(low, count - point, o + 1);
}

/** Exactly `count` decimal digits of n, leading zeros kept. */
function writeDigits(n: i32, count: i32, o: usize): usize {
  for (let i = count - 1; i >= 0; i--) {
    store<u8>(o + <usize>i, <u8>(48 + (n % 10)));
    n /= 10;
  }
  return o + <usize>count;
}
