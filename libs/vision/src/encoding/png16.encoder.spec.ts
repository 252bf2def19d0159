import { decode } from 'fast-png';
import sharp from 'sharp';
import { deflateSync, inflateSync } from 'node:zlib';

import { encodePng16 } from './png16.encoder.js';
import { seededRandom } from './spec-support.js';

function expectedLevel(v: number, min: number, max: number): number {
  return Math.round(((v - min) / (max - min)) * 65535);
}

function decodeWithFastPng(png: Uint8Array) {
  const image = decode(png);
  return { ...image, data: Array.from(image.data) };
}

async function decodeWithSharp(png: Uint8Array): Promise<number[]> {
  const { data, info } = await sharp(png)
    .toColourspace('grey16')
    .raw({ depth: 'ushort' })
    .toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(1);
  return Array.from(new Uint16Array(data.buffer, data.byteOffset, data.length / 2));
}

/** Reads the IHDR chunk straight from the bytes, independent of any PNG library. */
function ihdr(png: Uint8Array) {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(new TextDecoder().decode(png.subarray(12, 16))).toBe('IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20), bitDepth: png[24], colourType: png[25] };
}

function randomValues(count: number, low: number, high: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count }, () => low + random() * (high - low));
}

describe('encodePng16', () => {
  it('writes a 16-bit grayscale PNG of the given size', () => {
    const { png } = encodePng16(randomValues(35, 0, 1, 1), 5, 7);
    expect(ihdr(png)).toEqual({ width: 7, height: 5, bitDepth: 16, colourType: 0 });
  });

  it('stores round((v − min)/(max − min)·65535), row-major, as decoded by fast-png and by sharp', async () => {
    const [h, w] = [13, 17];
    const values = randomValues(h * w, -3.7, 12.2, 42);
    const { png, min, max } = encodePng16(values, h, w);
    const expected = Array.from(values, (v) => expectedLevel(v, min, max));
    const decoded = decodeWithFastPng(png);
    expect([decoded.width, decoded.height, decoded.depth, decoded.channels]).toEqual([w, h, 16, 1]);
    expect(decoded.data).toEqual(expected);
    expect(await decodeWithSharp(png)).toEqual(expected);
  });

  it('Sub-filters every scanline, so a smooth depth map deflates to a fraction of its samples', () => {
    const [height, width] = [480, 640];
    const ramp = Float32Array.from({ length: height * width }, (_, i) => Math.hypot(i % width, i / width));
    const { png } = encodePng16(ramp, height, width);
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    const idatLength = view.getUint32(33); // after the signature (8) and IHDR (25)
    expect(new TextDecoder().decode(png.subarray(37, 41))).toBe('IDAT');
    const scanlines = inflateSync(png.subarray(41, 41 + idatLength));
    const stride = 1 + 2 * width;
    expect(scanlines.length).toBe(height * stride);
    const filters = new Set(Array.from({ length: height }, (_, y) => scanlines[y * stride]));
    expect([...filters]).toEqual([1]);
    // Undo the filter (each byte plus the one two to its left) and deflate the raw rows the same way.
    const raw = Buffer.from(scanlines);
    for (let y = 0; y < height; y++) {
      raw[y * stride] = 0;
      for (let i = y * stride + 3; i < (y + 1) * stride; i++) raw[i] = (raw[i] + raw[i - 2]) & 0xff;
    }
    expect(png.length).toBeLessThan(0.6 * deflateSync(raw).length);
  });

  it('reports the true finite extremes and maps them to 0 and 65535', () => {
    const values = Float32Array.from([2.5, -1.25, 7.75, 0, 3]);
    const { png, min, max } = encodePng16(values, 1, 5);
    expect([min, max]).toEqual([-1.25, 7.75]);
    expect(decodeWithFastPng(png).data).toEqual([
      expectedLevel(2.5, -1.25, 7.75),
      0,
      65535,
      expectedLevel(0, -1.25, 7.75),
      expectedLevel(3, -1.25, 7.75),
    ]);
  });

  it('keeps the mapping exact over a huge dynamic range', () => {
    const values = Float32Array.from([-3e38, 0, 1e30, 3e38]);
    const { png, min, max } = encodePng16(values, 2, 2);
    expect(decodeWithFastPng(png).data).toEqual(Array.from(values, (v) => expectedLevel(v, min, max)));
    expect(decodeWithFastPng(png).data).toEqual([0, 32768, 32768, 65535]);
  });

  it('encodes constant input as all zeros and reports min = max', () => {
    const { png, min, max } = encodePng16(new Float32Array(12).fill(4.5), 3, 4);
    expect([min, max]).toEqual([4.5, 4.5]);
    expect(decodeWithFastPng(png).data).toEqual(new Array(12).fill(0));
  });

  it('maps NaN and −Infinity to 0 and +Infinity to 65535 without letting them set the range', () => {
    const values = Float32Array.from([Number.NaN, 1, Infinity, 3, -Infinity, 2]);
    const { png, min, max } = encodePng16(values, 2, 3);
    expect([min, max]).toEqual([1, 3]);
    expect(decodeWithFastPng(png).data).toEqual([0, 0, 65535, 65535, 0, 32768]);
  });

  it('reports min = max = 0 when nothing is finite', () => {
    const { png, min, max } = encodePng16(Float32Array.from([Number.NaN, Infinity]), 1, 2);
    expect([min, max]).toEqual([0, 0]);
    expect(decodeWithFastPng(png).data).toEqual([0, 65535]);
  });

  it('rejects a value count that does not match the size', () => {
    expect(() => encodePng16(new Float32Array(5), 2, 3)).toThrow(/5 values.*2×3=6/);
    expect(() => encodePng16(new Float32Array(0), 0, 3)).toThrow(/positive integers/);
  });
});
