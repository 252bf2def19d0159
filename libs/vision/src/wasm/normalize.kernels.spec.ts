import { rgb8ToPlanarTable } from './normalize.kernels.js';

function seededBytes(length: number, seed: number): Uint8Array {
  let state = seed;
  return Uint8Array.from({ length }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state >>> 24;
  });
}

describe('rgb8ToPlanarTable (WebAssembly)', () => {
  it.each([1, 2, 7, 640 * 480])('table step over %i pixels: each byte through its channel table, planar', (pixels) => {
    const src = seededBytes(pixels * 3, pixels);
    const tables = [0, 1, 2].map((c) => Float32Array.from({ length: 256 }, (_, v) => v * (c + 1) * 0.37 - c)) as [
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    const expected = new Float32Array(3 * pixels);
    for (let i = 0; i < pixels; i++) for (let c = 0; c < 3; c++) expected[c * pixels + i] = tables[c][src[i * 3 + c]];
    expect(rgb8ToPlanarTable(src, tables)).toEqual(expected);
  });

  it('refuses a table that is not 256 entries long', () => {
    const table = new Float32Array(256);
    expect(() => rgb8ToPlanarTable(new Uint8Array(3), [table, table, new Float32Array(255)])).toThrow(/256 entries/);
  });
});
