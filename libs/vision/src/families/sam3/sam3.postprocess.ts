import { resizeBilinearFloat } from '../../image/float.resizer.js';

export type BoxFormat = 'xyxy' | 'cxcywh';
export type BoxXyxy = [number, number, number, number];

/** One (image, prompt) pair's decoder outputs, batch dim dropped. */
export interface Sam3RawOutputs {
  /** [Q] */
  predLogits: Float32Array;
  presenceLogit: number;
  /** [Q·4], normalised, in `boxFormat`. */
  predBoxes: Float32Array;
  /** [Q·h·w] mask logits. */
  predMasks: Float32Array;
  maskHeight: number;
  maskWidth: number;
}

export interface Sam3PostprocessSettings {
  threshold: number;
  maskThreshold: number;
  boxFormat: BoxFormat;
}

export interface Sam3Instance {
  score: number;
  box: BoxXyxy;
  /** Row-major 0/1 mask at the original image size. */
  mask: Uint8Array;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Normalised box → xyxy in original pixels. Not clipped, like HF. */
export function scaleBox(box: ArrayLike<number>, format: BoxFormat, width: number, height: number): BoxXyxy {
  const [a, b, c, d] = [box[0], box[1], box[2], box[3]];
  const xyxy = format === 'xyxy' ? [a, b, c, d] : [a - c / 2, b - d / 2, a + c / 2, b + d / 2];
  return [xyxy[0] * width, xyxy[1] * height, xyxy[2] * width, xyxy[3] * height];
}

/** HF order: sigmoid of the logits, bilinear (align_corners=False) to the original size, then `> maskThreshold`. */
export function binaryMaskAtSize(
  logits: Float32Array,
  maskHeight: number,
  maskWidth: number,
  height: number,
  width: number,
  maskThreshold: number,
): Uint8Array {
  const probs = logits.map(sigmoid);
  const resized = resizeBilinearFloat(probs, maskHeight, maskWidth, height, width);
  return Uint8Array.from(resized, (p) => (p > maskThreshold ? 1 : 0));
}

/**
 * HF `Sam3ImageProcessor.post_process_instance_segmentation` for one pair: score = sigmoid(logit)·sigmoid(presence),
 * keep score > threshold, boxes to original pixels, masks as above. No NMS. Sorted by score, highest first.
 */
export function postprocessSam3(
  raw: Sam3RawOutputs,
  settings: Sam3PostprocessSettings,
  width: number,
  height: number,
): Sam3Instance[] {
  const presence = sigmoid(raw.presenceLogit);
  const plane = raw.maskHeight * raw.maskWidth;
  const instances: Sam3Instance[] = [];
  raw.predLogits.forEach((logit, q) => {
    const score = sigmoid(logit) * presence;
    if (!(score > settings.threshold)) return;
    const maskLogits = raw.predMasks.subarray(q * plane, (q + 1) * plane);
    instances.push({
      score,
      box: scaleBox(raw.predBoxes.subarray(q * 4, q * 4 + 4), settings.boxFormat, width, height),
      mask: binaryMaskAtSize(maskLogits, raw.maskHeight, raw.maskWidth, height, width, settings.maskThreshold),
    });
  });
  return instances.sort((a, b) => b.score - a.score);
}
