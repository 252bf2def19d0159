/**
 * Google's Turbo colour map, as its published degree-5 polynomial fit (Mikhailov 2019): perceptually ordered,
 * dark blue at 0 through green to dark red at 1. Returns 0..255 channels; t is clamped to [0, 1].
 */
const RED = [0.13572138, 4.6153926, -42.66032258, 132.13108234, -152.94239396, 59.28637943];
const GREEN = [0.09140261, 2.19418839, 4.84296658, -14.18503333, 4.27729857, 2.82956604];
const BLUE = [0.1066733, 12.64194608, -60.58204836, 110.36276771, -89.90310912, 27.34824973];

function polynomial(coefficients: readonly number[], t: number): number {
  let value = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) value = value * t + coefficients[i];
  return value;
}

const toByte = (v: number) => Math.round(255 * Math.min(1, Math.max(0, v)));

export function turbo(t: number): [number, number, number] {
  const x = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  return [toByte(polynomial(RED, x)), toByte(polynomial(GREEN, x)), toByte(polynomial(BLUE, x))];
}

/** (v − min) / (max − min), and 0 for a flat range, so a constant map is drawn in one colour, not NaN. */
export function normalise(value: number, min: number, max: number): number {
  return max > min ? (value - min) / (max - min) : 0;
}

/** RGBA pixels of `values` through Turbo over [min, max]. */
export function turboImage(values: ArrayLike<number>, min: number, max: number): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const [r, g, b] = turbo(normalise(values[i], min, max));
    rgba.set([r, g, b, 255], i * 4);
  }
  return rgba;
}
