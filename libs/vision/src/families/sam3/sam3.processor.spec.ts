import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDemoModel } from '@focal/demo-models';
import { TwoToneImage, readCocoRle, sam3DemoExpectation, twoToneMaskMismatches, twoTonePixels } from '@focal/testing';
import type { TensorValue } from '@focal/contracts';
import type { CocoRle } from '../../encoding/index.js';
import type { RgbImage } from '../../image/rgb-image.js';
import { MANIFEST_FILE, ModelManifest } from '../../manifest/model-manifest.js';
import { OnnxSpecRunner } from '../grounding-dino/onnx.spec-runner.js';
import { Sam3Detection, Sam3Processor, createSam3Processor } from './sam3.processor.js';

/** A dense mask (a TensorValue) as the nested 0/1 rows the client's JSON holds. */
const denseRows = (mask: Sam3Detection['mask']) => (mask as TensorValue).toJSON() as number[][];

/** Black on the left, yellow on the right: channels (−1,−1,−1) | (+1,+1,−1), so queries pick either half or none. */
function twoTone(width = 252, height = 168): { image: RgbImage; tone: TwoToneImage } {
  const tone: TwoToneImage = { width, height, left: [0, 0, 0], right: [255, 255, 0] };
  return { image: { data: twoTonePixels(tone), width, height }, tone };
}

const wordsOf = (prompt: string) => prompt.trim().split(/\s+/).length;

/**
 * Compares with the demo's closed form (`sam3DemoExpectation`, derived without Focal's pre- or post-processing):
 * the same detections in the same order, scores, boxes in original pixels, and masks to the pixel.
 */
function expectDetectionsMatch(
  detections: Sam3Detection[],
  prompt: string,
  tone: TwoToneImage,
  threshold: number,
  toDense: (d: Sam3Detection) => ArrayLike<number>,
) {
  const expected = sam3DemoExpectation(tone, wordsOf(prompt), threshold);
  expect(detections.length).toBe(expected.length);
  detections.forEach((d, k) => {
    expect(d.prompt).toBe(prompt);
    expect(d.score).toBeCloseTo(expected[k].score, 5);
    d.box.forEach((v, j) => expect(v).toBeCloseTo(expected[k].box[j], 3));
    const dense = toDense(d);
    expect(dense.length).toBe(tone.width * tone.height);
    expect(twoToneMaskMismatches(dense, tone, expected[k].covers)).toBe(0);
  });
  return expected;
}

describe('Sam3Processor on the demo ONNX model', () => {
  let root: string;
  let dir: string;
  let manifest: ModelManifest;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'focal-sam3-'));
    dir = await ensureDemoModel('sam3', root);
    manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as ModelManifest;
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  async function setUp(embeddingCacheSize: number) {
    const processor = await createSam3Processor(dir, manifest, { embeddingCacheSize });
    const runner = await OnnxSpecRunner.fromFolder(dir, manifest);
    return { processor, runner };
  }

  it('segments each prompt to the pixel at the original size, with boxes in original pixels', async () => {
    const { processor, runner } = await setUp(4);
    const { image, tone } = twoTone();
    const prompts = ['cat', 'red ball'];
    const { results } = await processor.infer([image], processor.parseParams({ prompts }), runner);
    expect(results).toHaveLength(1);
    for (const prompt of prompts) {
      const own = results[0].filter((d) => d.prompt === prompt);
      const expected = expectDetectionsMatch(own, prompt, tone, 0.5, (d) => denseRows(d.mask).flat());
      // The case is informative: one detection covers exactly one half, so a flipped or shifted mask would show.
      expect(expected.some((e) => e.covers.left !== e.covers.right)).toBe(true);
      expect(denseRows(own[0].mask).length).toBe(168);
      expect(denseRows(own[0].mask)[0].length).toBe(252);
    }
    const counts = prompts.map((p) => results[0].filter((d) => d.prompt === p).length);
    expect(results[0].map((d) => d.prompt)).toEqual(prompts.flatMap((p, i) => new Array(counts[i]).fill(p)));
  });

  it('returns COCO RLE that an independent pycocotools-style reader decodes to the same masks', async () => {
    const { processor, runner } = await setUp(4);
    const { image, tone } = twoTone();
    const { results } = await processor.infer(
      [image],
      processor.parseParams({ prompts: ['cat'], output_format: 'rle' }),
      runner,
    );
    expectDetectionsMatch(results[0], 'cat', tone, 0.5, (d) => {
      expect((d.mask as CocoRle).size).toEqual([168, 252]);
      return readCocoRle(d.mask as { size: [number, number]; counts: string });
    });
  });

  it('returns polygons that trace the covered half, and none for an empty mask', async () => {
    const { processor, runner } = await setUp(4);
    const { image, tone } = twoTone();
    const params = processor.parseParams({ prompts: ['cat'], output_format: 'polygons', polygon_tolerance: 0 });
    const { results } = await processor.infer([image], params, runner);
    const expected = sam3DemoExpectation(tone, 1, 0.5);
    expect(results[0]).toHaveLength(expected.length);
    expect(expected.some((e) => !e.covers.left && !e.covers.right)).toBe(true);
    results[0].forEach((d, k) => {
      const { covers } = expected[k];
      const points = (d.mask as number[][]).flat();
      if (!covers.left && !covers.right) return expect(d.mask).toEqual([]);
      const xs = points.filter((_, i) => i % 2 === 0);
      const ys = points.filter((_, i) => i % 2 === 1);
      expect([Math.min(...ys), Math.max(...ys)]).toEqual([0, 168]);
      expect(Math.min(...xs)).toBe(covers.left ? 0 : 126);
      expect(Math.max(...xs)).toBe(covers.right ? 252 : 126);
    });
  });

  it('applies threshold and presence: a higher threshold keeps fewer, a long prompt loses presence', async () => {
    const { processor, runner } = await setUp(4);
    const { image, tone } = twoTone();
    const strict = await processor.infer([image], processor.parseParams({ prompts: ['cat'], threshold: 0.75 }), runner);
    expectDetectionsMatch(strict.results[0], 'cat', tone, 0.75, (d) => denseRows(d.mask).flat());
    expect(strict.results[0].length).toBeGreaterThan(0);
    expect(strict.results[0].length).toBeLessThan(sam3DemoExpectation(tone, 1, 0.5).length);
    const long = 'red ball and a blue square under the green sky';
    const { results } = await processor.infer([image], processor.parseParams({ prompts: [long] }), runner);
    expect(results[0]).toEqual([]);
    expect(sam3DemoExpectation(tone, wordsOf(long), 0.5)).toEqual([]);
  });

  it('runs the vision encoder once per image content: more prompts and repeat requests hit the cache', async () => {
    const { processor, runner } = await setUp(4);
    const { image, tone } = twoTone();
    await processor.infer([image], processor.parseParams({ prompts: ['cat'] }), runner);
    const copy = { ...image, data: image.data.slice() };
    const { results } = await processor.infer([copy], processor.parseParams({ prompts: ['red ball', 'cat'] }), runner);
    expect(runner.calls.vision_encoder).toBe(1);
    expect(runner.calls.decoder).toBe(3);
    expect(runner.calls.text_encoder).toBe(2);
    expect(processor.cacheStats().image).toEqual({ hits: 1, misses: 1, size: 1, capacity: 4 });
    expect(processor.cacheStats().text).toMatchObject({ hits: 1, misses: 2 });
    expectDetectionsMatch(
      results[0].filter((d) => d.prompt === 'red ball'),
      'red ball',
      tone,
      0.5,
      (d) => denseRows(d.mask).flat(),
    );
    await processor.infer([twoTone(254, 168).image], processor.parseParams({ prompts: ['cat'] }), runner);
    expect(runner.calls.vision_encoder).toBe(2);
  });

  it('runs the vision encoder every time when the cache is off', async () => {
    const { processor, runner } = await setUp(0);
    const { image } = twoTone();
    await processor.infer([image], processor.parseParams({ prompts: ['cat'] }), runner);
    await processor.infer([image], processor.parseParams({ prompts: ['cat'] }), runner);
    expect(runner.calls.vision_encoder).toBe(2);
    expect(processor.cacheStats().image.hits).toBe(0);
  });

  it('serves several images per request, batching their encoder runs, each at its own size', async () => {
    const { processor, runner } = await setUp(4);
    const cases = [twoTone(), twoTone(144, 336)];
    const images = cases.map((c) => c.image);
    const { results } = await processor.infer(images, processor.parseParams({ prompts: ['cat'] }), runner);
    expect(runner.batchSizes.vision_encoder).toEqual([2]);
    cases.forEach(({ image, tone }, i) => {
      expectDetectionsMatch(results[i], 'cat', tone, 0.5, (d) => denseRows(d.mask).flat());
      expect(denseRows(results[i][0].mask).length).toBe(image.height);
    });
  });

  it('declares its graphs from the manifest and warms up with a valid request', async () => {
    const { processor, runner } = await setUp(1);
    expect(Object.keys(processor.expectations).sort()).toEqual(['decoder', 'text_encoder', 'vision_encoder']);
    const warm = await processor.infer([twoTone(32, 32).image], processor.warmupParams(), runner);
    expect(warm.results).toHaveLength(1);
    expect(processor).toBeInstanceOf(Sam3Processor);
  });
});
