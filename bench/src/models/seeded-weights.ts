import { seededRandom } from '@focal/testing';

/**
 * Deterministic random weights. Uniform values with the standard deviation of the usual
 * truncated-normal ViT init (0.02), so activations stay in a realistic range through 12 blocks.
 */
export class SeededWeights {
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  uniform(count: number, std = 0.02): Float32Array {
    const halfWidth = std * Math.sqrt(3);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = (this.random() * 2 - 1) * halfWidth;
    return out;
  }

  constant(count: number, value: number): Float32Array {
    return new Float32Array(count).fill(value);
  }
}
