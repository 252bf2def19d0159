import sharp from 'sharp';

export { seededRandom } from '@focal/testing';

export interface RgbPixels {
  width: number;
  height: number;
  data: Uint8Array;
}

/** An RGB image whose pixel (x, y) is `pixel(x, y)`. */
export function makePixels(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number],
): RgbPixels {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 3);
  }
  return { width, height, data };
}

/** A lossless PNG of the pixels, as base64 — what a client sends. */
export async function pngBase64(pixels: RgbPixels): Promise<string> {
  const png = await sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: 3 } })
    .png()
    .toBuffer();
  return png.toString('base64');
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, body: json, headers: response.headers };
}

export async function getJson(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, body: json, headers: response.headers };
}
