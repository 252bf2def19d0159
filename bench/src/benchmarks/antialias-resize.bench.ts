import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Benchmark, BenchOutcome, Figure, Table } from '../core/benchmark.js';
import type { BenchContext } from '../core/bench-context.js';
import { measureTiers, pairedRatio } from '../core/interleaved.tiers.js';
import { fmt } from '../core/stats.js';
import { rawMeasurements } from '../core/tier-report.js';
import { findHfTime, readHfProcessorTimes, type HfProcessorTimes } from '../fixtures/hf-processor-times.js';
import {
  DEPTH_ANYTHING_PREPROCESSING,
  DINOV3_PREPROCESSING,
  IMAGENET_NORMALIZATION,
  decodeImage,
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
 * to show what the switch changes. The images are the reference ones that tools/reference/time_processors.py
 * times HF's processors on, so its processor-times.json (when present) gives Focal ÷ HF per family and size.
 */
interface ResizeCase {
  family: string;
  /** The family's folder under tools/reference/fixtures, as processor-times.json names it. */
  fixture: string;
  /** A file of tools/reference/images. */
  image: string;
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

const REFERENCE_IMAGES = resolve('tools/reference/images');

const CASES: ResizeCase[] = [
  { image: 'landscape-640x480.png', width: 640, height: 480 },
  { image: 'hd-1280x720.png', width: 1280, height: 720 },
].flatMap(({ image, width, height }) => {
  return [
    {
      family: 'dinov3',
      fixture: 'dinov3',
      image,
      width,
      height,
      antialias: (image: RgbImage) => preprocessDinov3(image, DINOV3_PREPROCESSING),
      sharp: sharpDinov3,
    },
    {
      family: 'depth_anything',
      fixture: 'depth-anything',
      image,
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

/** Where the HF column comes from: another process, another time, so its ratio is not a side-by-side one. */
function hfNote(times: HfProcessorTimes | undefined): string {
  if (!times) {
    return 'No HF column: tools/reference/processor-times.json is absent (written by tools/reference/time_processors.py).';
  }
  const { measuredAt, cpu, loadAverageStart, torchThreads, runs, versions } = times;
  const backends = [...new Set(times.cases.map((c) => `${c.processor} (${c.backend})`))].join(', ');
  return (
    `HF processor median ms: tools/reference/processor-times.json, measured by tools/reference/time_processors.py in a separate ` +
    `Python process at ${measuredAt} (${cpu}, load average ${loadAverageStart.join(' / ')}, torch threads ${torchThreads}, ` +
    `median of ${runs} after warm-up; transformers ${versions.transformers}, torch ${versions.torch}; ${backends}), ` +
    'on the same images, decoded PIL in, pixel_values out. antialias ÷ HF divides medians of two runs that were not interleaved: ' +
    "read it as a size, not to the percent; it is '—' where the file lacks the case or HF's pixel_values shape differs."
  );
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
    const hfTimes = readHfProcessorTimes();
    for (const testCase of CASES) {
      const image = await decodeImage(readFileSync(resolve(REFERENCE_IMAGES, testCase.image)), 40_000_000);
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
      const hf = findHfTime(hfTimes, testCase.fixture, testCase.image, ours.dims);
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
        hf ? fmt(hf.medianMs) : '—',
        hf ? fmt(antialias.latencyMs.median / hf.medianMs) : '—',
      ]);
      raw.push({
        ...testCase,
        antialias: undefined,
        sharp: undefined,
        levels,
        hfProcessor: hf ?? null,
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
        'HF processor median ms',
        'antialias ÷ HF',
      ],
      rows,
    };
    return {
      figures,
      tables: [table],
      notes: [
        "The antialias path equals HF's processors to ≤ 0.003 levels (DINOv3) and exactly (DPT) on tools/reference/images (npm run test:reference); sharp's kernels are other filters and differ by the levels shown.",
        hfNote(hfTimes),
      ],
      raw: { cases: raw, hfProcessorTimes: hfTimes ?? null },
    };
  },
};
