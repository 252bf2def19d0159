import { encode } from 'fast-png';
import { decodeDepthPng } from './depth-png.decoder.js';

describe('decodeDepthPng', () => {
  it('gives back every 16-bit level of a grayscale PNG', () => {
    const levels = Uint16Array.from([0, 1, 256, 65535, 32768, 12345]);
    const png = encode({ width: 3, height: 2, data: levels, depth: 16, channels: 1 });
    const decoded = decodeDepthPng(png);
    expect(decoded).toMatchObject({ width: 3, height: 2 });
    expect(Array.from(decoded.levels)).toEqual(Array.from(levels));
  });

  it('refuses a PNG that is not 1-channel 16-bit', () => {
    const png = encode({ width: 1, height: 1, data: Uint8Array.from([1, 2, 3]), depth: 8, channels: 3 });
    expect(() => decodeDepthPng(png)).toThrow(/3-channel 8-bit/);
  });
});
