import { blendMasks } from './mask.overlay.js';

describe('blendMasks', () => {
  it('blends the colour only where the mask is set, leaving alpha alone', () => {
    const rgba = Uint8ClampedArray.from([200, 0, 0, 255, 200, 0, 0, 255]);
    blendMasks(rgba, [{ mask: Uint8Array.from([0, 1]), colour: [0, 0, 100] }], 0.5);
    expect(Array.from(rgba)).toEqual([200, 0, 0, 255, 100, 0, 50, 255]);
  });

  it('applies masks in order', () => {
    const rgba = Uint8ClampedArray.from([0, 0, 0, 255]);
    const mask = Uint8Array.from([1]);
    blendMasks(
      rgba,
      [
        { mask, colour: [200, 0, 0] },
        { mask, colour: [0, 200, 0] },
      ],
      0.5,
    );
    expect(Array.from(rgba)).toEqual([50, 100, 0, 255]);
  });

  it('refuses a mask of another size', () => {
    expect(() => blendMasks(new Uint8ClampedArray(8), [{ mask: new Uint8Array(3), colour: [0, 0, 0] }], 0.5)).toThrow(
      /sizes differ/,
    );
  });
});
