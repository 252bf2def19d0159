import { binaryMaskAtSize, postprocessSam3, scaleBox } from './sam3.postprocess.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('scaleBox', () => {
  it('scales xyxy and converts cxcywh, both to original pixels', () => {
    expect(scaleBox([0.1, 0.2, 0.5, 0.6], 'xyxy', 200, 100)).toEqual([20, 20, 100, 60]);
    const box = scaleBox([0.3, 0.4, 0.4, 0.4], 'cxcywh', 200, 100);
    [20, 20, 100, 60].forEach((v, i) => expect(box[i]).toBeCloseTo(v, 10));
  });
});

describe('binaryMaskAtSize', () => {
  it('upsamples probabilities bilinearly (half-pixel centres) and thresholds them', () => {
    const mask = binaryMaskAtSize(Float32Array.from([-10, 10, 10, -10]), 2, 2, 4, 4, 0.5);
    expect(Array.from(mask)).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0]);
  });

  it('applies the sigmoid before resizing, like HF (Meta resizes the logits first and differs at edges)', () => {
    // x=2 of 4 samples 0.75 of the way: HF 0.75·σ(2) ≈ 0.66 → 1, Meta σ(0.25·−10 + 0.75·2) ≈ 0.27 → 0.
    expect(Array.from(binaryMaskAtSize(Float32Array.from([-10, 2]), 1, 2, 1, 4, 0.5))).toEqual([0, 0, 1, 1]);
  });

  it('uses the mask threshold strictly', () => {
    expect(Array.from(binaryMaskAtSize(Float32Array.from([0]), 1, 1, 1, 2, 0.5))).toEqual([0, 0]);
    expect(Array.from(binaryMaskAtSize(Float32Array.from([0]), 1, 1, 1, 2, 0.49))).toEqual([1, 1]);
  });
});

describe('postprocessSam3', () => {
  const raw = {
    predLogits: Float32Array.from([0, 2, -1]),
    presenceLogit: 1,
    predBoxes: Float32Array.from([0, 0, 0.5, 0.5, 0.25, 0.5, 0.75, 1, 0, 0, 1, 1]),
    predMasks: Float32Array.from([5, 5, 5, 5, -5, 5, -5, 5, 5, 5, 5, 5]),
    maskHeight: 2,
    maskWidth: 2,
  };

  it('scores by sigmoid(logit)·sigmoid(presence), keeps those above the threshold, best first', () => {
    const instances = postprocessSam3(raw, { threshold: 0.3, maskThreshold: 0.5, boxFormat: 'xyxy' }, 40, 20);
    expect(instances.map((i) => i.score)).toEqual(
      [sigmoid(2) * sigmoid(1), sigmoid(0) * sigmoid(1)].map((s) => expect.closeTo(s, 12)),
    );
    expect(instances[0].box).toEqual([10, 10, 30, 20]);
    // query 1's mask logits [[-5, 5], [-5, 5]]: left half off, right half on, at 40×20
    const halves = Array.from({ length: 20 }, () => Array.from({ length: 40 }, (_, x) => (x < 20 ? 0 : 1))).flat();
    expect(Array.from(instances[0].mask)).toEqual(halves);
    expect(instances[1].mask.every((v) => v === 1)).toBe(true);
    expect(instances[1].mask.length).toBe(40 * 20);
  });

  it('drops a score equal to the threshold and everything when presence is low', () => {
    const exact = sigmoid(2) * sigmoid(1);
    expect(postprocessSam3(raw, { threshold: exact, maskThreshold: 0.5, boxFormat: 'xyxy' }, 4, 4)).toHaveLength(0);
    expect(
      postprocessSam3({ ...raw, presenceLogit: -8 }, { threshold: 0.01, maskThreshold: 0.5, boxFormat: 'xyxy' }, 4, 4),
    ).toHaveLength(0);
  });
});
