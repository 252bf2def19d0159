import sharp from 'sharp';

/** Interleaved 8-bit pixels with `channels` per pixel, pixel (x, y) given by `pixel`. */
export function makeRaw(
  width: number,
  height: number,
  channels: 1 | 3 | 4,
  pixel: (x: number, y: number) => number[],
): Uint8Array {
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(pixel(x, y).slice(0, channels), (y * width + x) * channels);
  }
  return data;
}

/** Encodes raw pixels with sharp (PNG is lossless; JPEG at top quality). */
export async function encodeRaw(
  data: Uint8Array,
  width: number,
  height: number,
  channels: 1 | 3 | 4,
  format: 'png' | 'jpeg',
  orientation?: number,
): Promise<Uint8Array> {
  let pipeline = sharp(data, { raw: { width, height, channels } });
  pipeline = format === 'png' ? pipeline.png() : pipeline.jpeg({ quality: 100, chromaSubsampling: '4:4:4' });
  if (orientation !== undefined) pipeline = pipeline.withMetadata({ orientation });
  return new Uint8Array(await pipeline.toBuffer());
}

/** The RGB triple at (x, y) of interleaved 3-channel data. */
export function rgbAt(data: Uint8Array, width: number, x: number, y: number): number[] {
  const i = (y * width + x) * 3;
  return [data[i], data[i + 1], data[i + 2]];
}
