import { SAM3_DEMO, sam3DemoDecoderReference, sam3DemoVisionReference } from '@focal/demo-models';
import { imagenetNormalised } from '@focal/testing';

/*
 * Where the demo models put their output for the test images, from their closed forms in libs/demo-models
 * (not from the page or the API): the playground must draw it there.
 */

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export type Rgb = readonly [number, number, number];

/** A W×H image whose left half is `left` and right half `right`: every family sees two uniform regions. */
export interface HalvesImage {
  width: number;
  height: number;
  left: Rgb;
  right: Rgb;
}

/**
 * SAM3: the union of the masks of the queries that pass `threshold`, on the 72×72 mask grid, for a prompt of
 * `tokens` real tokens (start and end included). The image becomes exactly two halves at 1008² (the half
 * boundary falls on a pooling cell edge), so fpn_feat is computed on those halves. The first word's feature g
 * only shifts the mask threshold by 0.25·g ∈ [−0.25, 0.25], far below every normalised channel value here
 * (|v| ≥ 1.8), so g = 0 gives the same masks.
 */
export function sam3ExpectedMaskGrid(image: HalvesImage, tokens: number, threshold: number) {
  const { imageSize: S, maskSize: M, numQueries: Q, textLength: T, textDim: D } = SAM3_DEMO;
  const pixels = new Float32Array(3 * S * S);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) {
        pixels[c * S * S + y * S + x] = imagenetNormalised((x < S / 2 ? image.left : image.right)[c], c);
      }
    }
  }
  const vision = sam3DemoVisionReference(pixels);
  const padding = Uint8Array.from({ length: T }, (_, s) => (s < tokens ? 0 : 1));
  const decoded = sam3DemoDecoderReference(vision, { features: new Float32Array(T * D), padding });
  const fired = Array.from({ length: Q }, (_, q) => q).filter(
    (q) => sigmoid(decoded.predLogits[q]) * sigmoid(decoded.presenceLogit) >= threshold,
  );
  const union = new Uint8Array(M * M);
  for (const q of fired) for (let i = 0; i < M * M; i++) if (decoded.predMasks[q * M * M + i] > 0) union[i] = 1;
  return { fired, union, size: M };
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  const dot = a.reduce((s, v, i) => s + v * b[i], 0);
  return dot / Math.sqrt(a.reduce((s, v) => s + v * v, 0) * b.reduce((s, v) => s + v * v, 0));
}

/**
 * Turbo's polynomial fit (Mikhailov 2019), written out again here so the colour the page should paint is
 * not taken from the page's own code.
 */
export function turboReference(t: number): Rgb {
  const x = Math.min(1, Math.max(0, t));
  const poly = (c: number[]) => c.reduceRight((acc, k) => acc * x + k, 0);
  const byte = (v: number) => Math.round(255 * Math.min(1, Math.max(0, v)));
  return [
    byte(poly([0.13572138, 4.6153926, -42.66032258, 132.13108234, -152.94239396, 59.28637943])),
    byte(poly([0.09140261, 2.19418839, 4.84296658, -14.18503333, 4.27729857, 2.82956604])),
    byte(poly([0.1066733, 12.64194608, -60.58204836, 110.36276771, -89.90310912, 27.34824973])),
  ];
}
