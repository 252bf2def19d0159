import type { RgbImage } from './rgb-image.js';

/**
 * OpenCV's `cv2.resize(..., INTER_AREA)` for a downscale (both scales ≤ 1), as Depth Anything 3's
 * InputProcessor shrinks images. Reproduces OpenCV's arithmetic, checked bit for bit against cv2 4.12:
 * the decimation table of computeResizeAreaTab (cell [i·s, i·s + s), partial overlaps under 1e-3 dropped,
 * float32 weights), a horizontal pass and then a vertical one, both accumulated in float32 in table order,
 * and one rounding at the end (to nearest, ties to even, as cvRound).
 */
export function resizeAreaRgb8(image: RgbImage, width: number, height: number): RgbImage {
  if (width > image.width || height > image.height) {
    throw new RangeError(`INTER_AREA here is for downscales; ${image.width}×${image.height} → ${width}×${height}`);
  }
  if (image.width === width && image.height === height) return image;
  const f = Math.fround;
  const xs = areaTable(image.width, width);
  const ys = areaTable(image.height, height);
  const inStride = image.width * 3;
  const outStride = width * 3;
  const rows = new Float32Array(image.height * outStride);
  for (let y = 0; y < image.height; y++) {
    for (let t = 0; t < xs.length; t++) {
      const { out, src, weight } = xs[t];
      const o = y * outStride + out * 3;
      const p = y * inStride + src * 3;
      for (let c = 0; c < 3; c++) rows[o + c] = f(rows[o + c] + f(image.data[p + c] * weight));
    }
  }
  const sums = new Float32Array(height * outStride);
  for (const { out, src, weight } of ys) {
    const o = out * outStride;
    const row = src * outStride;
    for (let i = 0; i < outStride; i++) sums[o + i] = f(sums[o + i] + f(rows[row + i] * weight));
  }
  const data = new Uint8Array(height * outStride);
  for (let i = 0; i < data.length; i++) data[i] = roundHalfEvenByte(sums[i]);
  return { data, width, height };
}

interface AreaTap {
  out: number;
  src: number;
  weight: number;
}

/** OpenCV's computeResizeAreaTab: per output cell, the source pixels it covers and their float32 weights. */
function areaTable(inSize: number, outSize: number): AreaTap[] {
  const scale = 1 / (outSize / inSize);
  const taps: AreaTap[] = [];
  for (let dx = 0; dx < outSize; dx++) {
    const fsx1 = dx * scale;
    const fsx2 = fsx1 + scale;
    const cellWidth = Math.min(scale, inSize - fsx1);
    let sx1 = Math.ceil(fsx1);
    const sx2 = Math.min(Math.floor(fsx2), inSize - 1);
    sx1 = Math.min(sx1, sx2);
    if (sx1 - fsx1 > 1e-3) taps.push({ out: dx, src: sx1 - 1, weight: Math.fround((sx1 - fsx1) / cellWidth) });
    for (let sx = sx1; sx < sx2; sx++) taps.push({ out: dx, src: sx, weight: Math.fround(1 / cellWidth) });
    if (fsx2 - sx2 > 1e-3) {
      taps.push({ out: dx, src: sx2, weight: Math.fround(Math.min(Math.min(fsx2 - sx2, 1), cellWidth) / cellWidth) });
    }
  }
  return taps;
}

function roundHalfEvenByte(v: number): number {
  const floor = Math.floor(v);
  const diff = v - floor;
  const rounded = diff > 0.5 ? floor + 1 : diff < 0.5 ? floor : floor % 2 === 0 ? floor : floor + 1;
  return rounded < 0 ? 0 : rounded > 255 ? 255 : rounded;
}
