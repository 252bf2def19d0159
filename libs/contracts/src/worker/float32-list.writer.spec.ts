import { writeFloat32Decimal } from './float32-decimal.js';
import { writeFloat32List } from './float32-list.writer.js';
import { logUniformFloat32s, randomFloat32Bits } from './float32.spec-support.js';

// The WebAssembly writer must print exactly what the JavaScript writer prints, value for value: the same digits,
// null for NaN and ±∞, 0 for −0, and the JavaScript writer's own text for values outside its fast range.

/** Seeded float32 bit patterns over every exponent, NaN and ±∞ included. */
const anyFloat32s = (count: number, seed: number) => randomFloat32Bits(count, seed, false);

/** Seeded values log-uniform over 1e-8 … 1e22: the fast range and both of its edges. */
const everydayFloat32s = (count: number, seed: number) => logUniformFloat32s(count, seed, -8, 30);

function javascriptText(values: Float32Array): string {
  const out = new Uint8Array(values.length * 24);
  let at = 0;
  values.forEach((v, i) => {
    if (i > 0) out[at++] = 44;
    at = writeFloat32Decimal(v, out, at);
  });
  return Buffer.from(out.subarray(0, at)).toString('latin1');
}

function kernelText(values: Float32Array, start = 0, count = values.length): string {
  const out = new Uint8Array(count * 24 + 3);
  out[0] = 91; // the text before `at` must be kept
  const end = writeFloat32List(values, start, count, out, 1);
  expect(out[0]).toBe(91);
  return Buffer.from(out.subarray(1, end)).toString('latin1');
}

describe('writeFloat32List (WebAssembly)', () => {
  it('prints 300,000 random bit patterns exactly as writeFloat32Decimal does', () => {
    const values = anyFloat32s(300_000, 11);
    expect(kernelText(values)).toBe(javascriptText(values));
  });

  it('prints 300,000 values around and across the fast range exactly as writeFloat32Decimal does', () => {
    const values = everydayFloat32s(300_000, 5);
    expect(kernelText(values)).toBe(javascriptText(values));
  });

  it('prints every power of ten and its float32 neighbours as writeFloat32Decimal does', () => {
    const view = new Float32Array(1);
    const bits = new Uint32Array(view.buffer);
    const values: number[] = [];
    for (let n = -45; n <= 38; n++) {
      view[0] = 10 ** n;
      const centre = bits[0];
      for (let step = -2; step <= 2; step++) {
        bits[0] = centre + step;
        values.push(view[0], -view[0]);
      }
    }
    const array = Float32Array.from(values);
    expect(kernelText(array)).toBe(javascriptText(array));
  });

  it('writes closed forms, the JSON specials, and runs of values outside the fast range', () => {
    const values = Float32Array.from([0.1, -0, 0, NaN, Infinity, -Infinity, 1e-7, 3e-8, 1.5, 1e20, 2e21, 100]);
    expect(kernelText(values)).toBe('0.1,0,0,null,null,null,1e-7,3e-8,1.5,100000000000000000000,2e+21,100');
    expect(kernelText(Float32Array.of(1e-9))).toBe('1e-9');
    expect(kernelText(new Float32Array(0))).toBe('');
  });

  it('writes a slice of a longer array, longer than one kernel call', () => {
    const values = everydayFloat32s(20_000, 3);
    expect(kernelText(values, 1234, 9000)).toBe(javascriptText(values.subarray(1234, 10234)));
  });
});
