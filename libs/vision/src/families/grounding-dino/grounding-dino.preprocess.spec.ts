import { GroundingDinoImageProcessor, RawImage, env } from '@huggingface/transformers';
import {
  GROUNDING_DINO_PREPROCESSING,
  groundingDinoTargetSize,
  preprocessGroundingDino,
} from './grounding-dino.preprocess.js';

env.allowRemoteModels = false;

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** transformers.js with IDEA-Research/grounding-dino-tiny's preprocessor_config.json values (do_pad is moot for one image). */
const tjs = new GroundingDinoImageProcessor({
  do_resize: true,
  size: { shortest_edge: 800, longest_edge: 1333 },
  resample: 2,
  do_rescale: true,
  rescale_factor: 1 / 255,
  do_normalize: true,
  image_mean: [0.485, 0.456, 0.406],
  image_std: [0.229, 0.224, 0.225],
});

/** transformers.js's own size rule (`get_resize_output_image_size`), fed only the image size it reads. */
function tjsSize(width: number, height: number): { width: number; height: number } {
  const image = { size: [width, height] } as unknown as RawImage;
  const [w, h] = tjs.get_resize_output_image_size(image, tjs.size);
  return { width: w, height: h };
}

async function tjsOutput(data: Uint8Array, width: number, height: number) {
  const { pixel_values, pixel_mask } = await tjs(new RawImage(new Uint8ClampedArray(data), width, height, 3));
  return { dims: pixel_values.dims as number[], pixels: pixel_values.data as Float32Array, mask: pixel_mask };
}

describe('groundingDinoTargetSize', () => {
  it.each([
    [640, 480, 1066, 800], // shortest edge to 800, width floored from 1066.67
    [800, 1000, 800, 1000], // already there
    [1000, 1000, 800, 800], // a square shrinks to 800
    [3000, 1000, 1333, 444], // the long side would be 2400: capped at 1333 instead
    [100, 50, 1333, 666], // a tiny image grows until the cap
  ])('%i×%i → %i×%i', (width, height, w, h) => {
    expect(groundingDinoTargetSize({ width, height }, GROUNDING_DINO_PREPROCESSING)).toEqual({ width: w, height: h });
  });

  it('matches transformers.js whenever the 1333 cap applies (aspect beyond 1333:800)', () => {
    const random = seeded(5);
    for (let i = 0; i < 200; i++) {
      const short = 1 + Math.floor(random() * 3000);
      const long = Math.ceil(short * (1333 / 800 + 0.01 + random() * 4));
      const [width, height] = i % 2 === 0 ? [long, short] : [short, long];
      expect(groundingDinoTargetSize({ width, height }, GROUNDING_DINO_PREPROCESSING)).toEqual(tjsSize(width, height));
    }
  });

  it('documents where transformers.js 4.3 departs from HF: it grows the long side to 1333 even below the cap', () => {
    expect(tjsSize(1000, 1000)).toEqual({ width: 1333, height: 1333 });
    expect(groundingDinoTargetSize({ width: 1000, height: 1000 }, GROUNDING_DINO_PREPROCESSING)).toEqual({
      width: 800,
      height: 800,
    });
  });
});

describe('preprocessGroundingDino', () => {
  it('normalises exactly like transformers.js when no resize is needed, and runs its full processor to the same size', async () => {
    const [width, height] = [1333, 100];
    const random = seeded(9);
    const data = Uint8Array.from({ length: width * height * 3 }, () => Math.floor(random() * 256));
    const ours = await preprocessGroundingDino({ data, width, height }, GROUNDING_DINO_PREPROCESSING);
    const theirs = await tjsOutput(data, width, height);
    expect([ours.height, ours.width]).toEqual(theirs.dims.slice(2));
    let maxError = 0;
    for (let i = 0; i < ours.pixelValues.length; i++)
      maxError = Math.max(maxError, Math.abs(ours.pixelValues[i] - theirs.pixels[i]));
    expect(maxError).toBeLessThan(1e-5);
  });

  it('resizes to the target size, keeps a uniform colour uniform and gives an all-ones pixel mask', async () => {
    const [width, height] = [320, 240];
    const rgb = [200, 100, 30];
    const data = Uint8Array.from({ length: width * height * 3 }, (_, i) => rgb[i % 3]);
    const out = await preprocessGroundingDino({ data, width, height }, GROUNDING_DINO_PREPROCESSING);
    expect([out.width, out.height]).toEqual([1066, 800]);
    const plane = out.width * out.height;
    const { mean, std } = GROUNDING_DINO_PREPROCESSING.normalization;
    for (let c = 0; c < 3; c++) {
      const expected = (rgb[c] / 255 - mean[c]) / std[c];
      expect(out.pixelValues[c * plane]).toBeCloseTo(expected, 5);
      expect(out.pixelValues[c * plane + plane - 1]).toBeCloseTo(expected, 5);
      expect(out.pixelValues[c * plane + 12345]).toBeCloseTo(expected, 5);
    }
    expect(out.pixelMask.length).toBe(plane);
    expect(out.pixelMask.every((v) => v === 1n)).toBe(true);
  });
});
