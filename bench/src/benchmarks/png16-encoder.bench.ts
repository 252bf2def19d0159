import { encode } from 'fast-png';
import { encodePng16 } from '@focal/vision';
import type { Benchmark, BenchOutcome } from '../core/benchmark.js';
import type { BenchContext } from '../core/bench-context.js';
import { measureTiers } from '../core/interleaved.tiers.js';
import { latencyRatioFigures, rawMeasurements, tierTable } from '../core/tier-report.js';

const SIZES = [
  [480, 640],
  [720, 1280],
];

/** A smooth depth-like map (what depth models output), in raw model units. */
function depthMap(height: number, width: number): Float32Array {
  return Float32Array.from({ length: height * width }, (_, i) => {
    const [x, y] = [i % width, Math.floor(i / width)];
    return 5 + 3 * Math.sin(x / 40) * Math.cos(y / 30) + y / height;
  });
}

/** The previous encoder: the same levels, then fast-png's JavaScript deflate. */
function fastPngEncode(values: Float32Array, height: number, width: number): Uint8Array {
  let [min, max] = [Infinity, -Infinity];
  for (const v of values) [min, max] = [Math.min(min, v), Math.max(max, v)];
  const data = Uint16Array.from(values, (v) => Math.round(((v - min) / (max - min)) * 65535));
  return encode({ width, height, data, depth: 16, channels: 1 });
}

export const png16EncoderBenchmark: Benchmark = {
  name: 'png16-encoder',
  title: 'Depth PNG16 encoding: node:zlib writer vs fast-png',
  description:
    'encodePng16 (Sub-filtered levels written into the scanlines, node:zlib deflate with Z_RLE) against the same levels through fast-png, ' +
    'the encoder Focal used before, on depth-like maps at 640×480 and 1280×720, interleaved.',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const results = [];
    for (const [height, width] of SIZES) {
      const values = depthMap(height, width);
      const tiers = [
        { name: 'fast-png (before)', call: async () => fastPngEncode(values, height, width) },
        { name: 'encodePng16 (node:zlib)', call: async () => encodePng16(values, height, width) },
      ];
      ctx.log(`${width}×${height}`);
      const rounds = ctx.reps(30, 4);
      results.push({
        height,
        width,
        measured: await measureTiers(tiers, { concurrency: 1, rounds, requestsPerRound: 1, warmup: 2 }),
      });
    }
    return {
      figures: results.flatMap(({ height, width, measured }) =>
        latencyRatioFigures(
          `png16.${width}x${height}.native_over_fastpng`,
          `PNG16 ${width}×${height}: encodePng16 ÷ fast-png`,
          measured[1],
          measured[0],
        ).slice(0, 1),
      ),
      tables: results.map(({ height, width, measured }) =>
        tierTable(`PNG16 ${width}×${height}`, measured, 'fast-png (before)'),
      ),
      notes: [
        'Both decode to the same 16-bit levels (png16.encoder.spec.ts decodes encodePng16 with fast-png and sharp).',
      ],
      raw: { results: results.map((r) => ({ ...r, measured: rawMeasurements(r.measured) })) },
    };
  },
};
