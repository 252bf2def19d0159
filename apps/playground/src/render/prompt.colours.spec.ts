import { hslToRgb, promptColour } from './prompt.colours.js';

describe('hslToRgb', () => {
  it('matches CSS for the primaries and grey', () => {
    expect(hslToRgb(0, 1, 0.5)).toEqual([255, 0, 0]);
    expect(hslToRgb(1 / 3, 1, 0.5)).toEqual([0, 255, 0]);
    expect(hslToRgb(2 / 3, 1, 0.5)).toEqual([0, 0, 255]);
    expect(hslToRgb(0.123, 0, 0.5)).toEqual([128, 128, 128]);
  });
});

describe('promptColour', () => {
  it('depends only on the prompt text, ignoring case and surrounding spaces', () => {
    expect(promptColour('cat')).toEqual(promptColour(' Cat '));
    expect(promptColour('cat')).not.toEqual(promptColour('dog'));
  });
});
