/** Seeded float32 inputs shared by the float32 writers' specs (an LCG, so every run sees the same values). */

function* lcg(seed: number): Generator<number> {
  let state = seed >>> 0;
  for (;;) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    yield state;
  }
}

/** Random float32 bit patterns over every exponent; with `finiteOnly`, NaN and ±∞ become finite values. */
export function randomFloat32Bits(count: number, seed: number, finiteOnly: boolean): Float32Array {
  const bits = new Uint32Array(count);
  const states = lcg(seed);
  for (let i = 0; i < count; i++) {
    const state = states.next().value as number;
    const special = ((state >>> 23) & 0xff) === 0xff;
    bits[i] = finiteOnly && special ? state & 0x807fffff : state;
  }
  return new Float32Array(bits.buffer);
}

/** Values of random sign, log-uniform over 10^fromExponent … 10^(fromExponent + decades). */
export function logUniformFloat32s(count: number, seed: number, fromExponent: number, decades: number): Float32Array {
  const out = new Float32Array(count);
  const states = lcg(seed);
  for (let i = 0; i < count; i++) {
    const state = states.next().value as number;
    out[i] = (state & 1 ? -1 : 1) * 10 ** (fromExponent + (state / 2 ** 32) * decades);
  }
  return out;
}
