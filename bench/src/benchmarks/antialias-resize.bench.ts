import type { Benchmark, BenchOutcome, Figure, Table } from '../core/benchmark.js';
import type { BenchContext } from '../core/bench-context.js';
import { measureTiers, pairedRatio } from '../core/interleaved.tiers.js';
import { fmt } from '../core/stats.js';
import { rawMeasurements } from '../core/tier-report.js';
import { photoLikePixels } from '../fixtures/bench-image.js';
import {
  DEPTH_ANYTHING_PREPROCESSING,
  DINOV3_PREPROCESSING,
  IMAGENET_NORMALIZATION,
  dptOutputSize,
  preprocessDepth,
  preprocessDinov3,
  resizeRgb,
  toChwFloat32,
  type RgbImage,
  type Tensor,
} from '@focal/vision';

/**
 * The cost of reproducing torchvision's antialiased resize in TypeScript (antialias.resizer.ts), against the
 * sharp (libvips) resize the processors used before, for the two families that now use it. Parity with HF is
 * the job of `npm run test:reference`; here the difference sharp ↔ antialias is reported in 8-bit levels
 * to show what the switch changes.
 */
interface ResizeCase {
  family: string;
  width: number;
  height: number;
  antialias(image: RgbImage): Promise<Tensor>;
  sharp(image: RgbImage): Promise<Tensor>;
}

async function sharpDinov3(image: RgbImage): Promise<Tensor> {
  const { width, height } = DINOV3_PREPROCESSING;
  const resized = await resizeRgb(image, width, height, 'bilinear');
  return { dtype: 'float32', dims: [1, 3, height, width], data: toChwFloat32(resized, IMAGENET_NORMALIZATION) };
}

async function sharpDepth(image: RgbImage): Promise<Tensor> {
  const [height, width] = dptOutputSize(image.height, image.width, DEPTH_ANYTHING_PREPROCESSING);
  const resized = await resizeRgb(image, width, height, 'bicubic');
  return { dtype: 'float32', dims: [1, 3, height, width], data: toChwFloat32(resized, IMAGENET_NORMALIZATION) };
}

const CASES: ResizeCase[] = [640, 1280].flatMap((width) => {
  const height = width === 640 ? 480 : 720;
  return [
    {
      family: 'dinov3',
      width,
      height,
      antialias: (image: RgbImage) => preprocessDinov3(image, DINOV3_PREPROCESSING),
      sharp: sharpDinov3,
    },
    {
      family: 'depth_anything',
      width,
      height,
      antialias: (image: RgbImage) => preprocessDepth(image, DEPTH_ANYTHING_PREPROCESSING),
      sharp: sharpDepth,
    },
  ];
});

/** Largest |Δ| between two normalised tensors, in 8-bit levels (× std × 255). */
function maxLevels(a: Float32Array, b: Float32Array): number {
  const plane = a.length / 3;
  let max = 0;
  for (let c = 0; c < 3; c++) {
    const std = IMAGENET_NORMALIZATION.std[c];
    for (let i = c * plane; i < (c + 1) * plane; i++) max = Math.max(max, Math.abs(a[i] - b[i]) * std * 255);
  }
  return max;
}

export const antialiasResizeBenchmark: Benchmark = {
  name: 'antialias-resize',
  title: 'Preprocessing resize: torchvision-exact antialias (TypeScript) vs sharp',
  description:
    'DINOv3 (rescale → antialiased bilinear on floats → normalise) and Depth Anything (antialiased bicubic on bytes, ' +
    "as torch's uint8 kernels round) with the TypeScript resizer that matches HF's processors, against the same " +
    'steps with sharp.resize: time per image (paired ratio) and how far apart the two results are in 8-bit levels.',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const figures: Figure[] = [];
    const rows: (string | number)[][] = [];
    const raw: Record<string, unknown>[] = [];
    for (const testCase of CASES) {
      const image: RgbImage = {
        data: photoLikePixels(testCase.width, testCase.height),
        width: testCase.width,
        height: testCase.height,
      };
      const ours = await testCase.antialias(image);
      const before = await testCase.sharp(image);
      const levels = maxLevels(ours.data as Float32Array, before.data as Float32Array);
      ctx.log(`${testCase.family} ${testCase.width}×${testCase.height}: timing`);
      const [antialias, sharp] = await measureTiers(
        [
          { name: 'antialias', call: () => testCase.antialias(image) },
          { name: 'sharp', call: () => testCase.sharp(image) },
        ],
        { concurrency: 1, rounds: ctx.reps(30, 5), requestsPerRound: 1, warmup: 2 },
      );
      const key = `${testCase.family}.${testCase.width}x${testCase.height}`;
      const ratio = pairedRatio(antialias.roundMedianMs, sharp.roundMedianMs).median;
      figures.push({
        id: `antialias.${key}.antialias_over_sharp`,
        label: `${testCase.family} ${testCase.width}×${testCase.height}: antialias time ÷ sharp time`,
        value: ratio,
        unit: 'x',
        detail: `medians ${fmt(antialias.latencyMs.median)} ms / ${fmt(sharp.latencyMs.median)} ms; sharp differs by up to ${fmt(levels)} levels`,
      });
      rows.push([
        testCase.family,
        `${testCase.width}×${testCase.height}`,
        `[${ours.dims.join(',')}]`,
        fmt(antialias.latencyMs.median),
        fmt(sharp.latencyMs.median),
        fmt(ratio),
        fmt(levels),
      ]);
      raw.push({
        ...testCase,
        antialias: undefined,
        sharp: undefined,
        levels,
        timing: rawMeasurements([antialias, sharp]),
      });
    }
    const table: Table = {
      title: 'Whole preprocessing (resize + normalise) of decoded RGB, one image at a time',
      columns: [
        'family',
        'image',
        'pixel_values',
        'antialias median ms',
        'sharp median ms',
        'antialias ÷ sharp',
        'max |Δ| levels',
      ],
      rows,
    };
    return {
      figures,
      tables: [table],
      notes: [
        "The antialias path equals HF's processors to ≤ 0.003 levels (DINOv3) and exactly (DPT) on tools/reference/images (npm run test:reference); sharp's kernels are other filters and differ by the levels shown.",
        'The HF processors themselves (Python, torchvision backend) are timed by tools/reference/time_processors.py.',
      ],
      raw: { cases: raw },
    };
  },
};
