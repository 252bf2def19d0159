import { TensorValue, jsonChunks } from '@focal/contracts';
import { seededRandom } from '@focal/testing';
import type { Benchmark, BenchOutcome } from '../core/benchmark.js';
import type { BenchContext } from '../core/bench-context.js';
import { measureTiers } from '../core/interleaved.tiers.js';
import { latencyRatioFigures, rawMeasurements, tierTable } from '../core/tier-report.js';

/** DINOv3 ViT-S/16's last_hidden_state at 224²: [1, 201, 384], feature-like values (about N(0, 1)). */
const SHAPE = [1, 201, 384];

function features(): Float32Array {
  const random = seededRandom(3);
  return Float32Array.from({ length: SHAPE[1] * SHAPE[2] }, () => (random() + random() + random() - 1.5) * 2);
}

/** The guide's nested lists as V8 prints them: each float32 widened to float64 and given its 17 digits. */
function float64Text(data: Float32Array): string {
  const [, tokens, dim] = SHAPE;
  return JSON.stringify([Array.from({ length: tokens }, (_, t) => Array.from(data.subarray(t * dim, (t + 1) * dim)))]);
}

/** What the API writes: jsonChunks' latin-1 chunks, as many as the body takes. */
function focalChunks(value: unknown): number {
  let length = 0;
  for (const chunk of jsonChunks(value)) length += chunk.length;
  return length;
}

export const jsonWriterBenchmark: Benchmark = {
  name: 'json-writer',
  title: 'Default JSON of a ViT-S/16 feature map: Focal’s float32 writer vs V8’s float64 printing',
  description:
    'The default (nested-list) body of one DINOv3 ViT-S/16 last_hidden_state [1,201,384]: jsonChunks, which prints ' +
    'each float32 as the fewest digits that read back as it, straight into bytes, against JSON.stringify of the same ' +
    'nested lists (what res.json would send: 17 digits of each float64 widening), interleaved.',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const data = features();
    const value = { features: { last_hidden_state: new TensorValue(data, SHAPE) } };
    const parsed = (
      JSON.parse(Array.from(jsonChunks(value)).join('')) as { features: { last_hidden_state: number[][][] } }
    ).features.last_hidden_state[0].flat();
    const mismatches = parsed.filter((v, i) => Math.fround(v) !== data[i]).length;
    const sizes = { focal: focalChunks(value), float64: float64Text(data).length };
    const tiers = [
      { name: 'JSON.stringify, float64 digits', call: async () => float64Text(data) },
      { name: 'jsonChunks, float32 digits', call: async () => focalChunks(value) },
    ];
    const measured = await measureTiers(tiers, {
      concurrency: 1,
      rounds: ctx.reps(40, 6),
      requestsPerRound: 1,
      warmup: 3,
    });
    return {
      figures: [
        ...latencyRatioFigures(
          'json.vits16.float32_over_float64',
          'ViT-S/16 feature JSON: jsonChunks ÷ JSON.stringify',
          measured[1],
          measured[0],
        ).slice(0, 1),
        {
          id: 'json.vits16.bytes_ratio',
          label: 'ViT-S/16 feature JSON: body bytes, float32 ÷ float64 digits',
          value: sizes.focal / sizes.float64,
          unit: 'x',
        },
      ],
      tables: [
        tierTable('ViT-S/16 last_hidden_state [1,201,384] as nested JSON', measured, 'JSON.stringify, float64 digits'),
      ],
      notes: [
        `Bodies: ${(sizes.focal / 1024).toFixed(0)} KiB with float32 digits, ${(sizes.float64 / 1024).toFixed(0)} KiB with float64 digits.`,
        `Read back: ${mismatches} of ${data.length} values differ from the float32 data after JSON.parse and Math.fround (0 expected).`,
      ],
      raw: { sizes, mismatches, measured: rawMeasurements(measured) },
    };
  },
};
