import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SAM3_DEMO,
  ensureDemoModel,
  sam3Demo,
  sam3DemoBox,
  sam3DemoDecoderReference,
  sam3DemoTextReference,
  sam3DemoVisionReference,
} from '@focal/demo-models';
import { TensorValue } from '@focal/contracts';
import { CocoRle, decodeCocoRle } from '../../encoding/index.js';
import { resizeBilinearFloat } from '../../image/float.resizer.js';
import type { RgbImage } from '../../image/rgb-image.js';
import { MANIFEST_FILE, ModelManifest } from '../../manifest/model-manifest.js';
import { OnnxSpecRunner } from '../grounding-dino/onnx.spec-runner.js';
import { Sam3Detection, Sam3Processor, createSam3Processor } from './sam3.processor.js';
import { SAM3_PREPROCESSING, preprocessSam3 } from './sam3.preprocess.js';
import { encodeSam3Prompt } from './sam3.prompt.js';

/** A dense mask (a TensorValue) as the nested 0/1 rows the client's JSON holds. */
const denseRows = (mask: Sam3Detection['mask']) => (mask as TensorValue).toJSON() as number[][];
import { demoClipTokenizer } from './spec-support.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** A dark 300×200 image with a red rectangle and a light-blue band: channels differ by region. */
function sceneImage(width = 300, height = 200): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inRed = x >= 50 && x < 150 && y >= 40 && y < 120;
      const inBand = y >= 150;
      data.set(inRed ? [230, 30, 30] : inBand ? [120, 200, 250] : [40, 40, 40], (y * width + x) * 3);
    }
  }
  return { data, width, height };
}

interface ExpectedDetection {
  q: number;
  score: number;
  box: number[];
  /** Row-major mask probability after the resize, to tell decided pixels from ones on the 0.5 edge. */
  probs: Float32Array;
}

/** The demo's closed form, post-processed by hand the HF way: sigmoid·presence, then sigmoid → resize → > 0.5. */
async function expectedFor(image: RgbImage, prompt: string, threshold: number): Promise<ExpectedDetection[]> {
  const pixels = (await preprocessSam3(image, SAM3_PREPROCESSING)).data as Float32Array;
  const { pad_token_id: padTokenId } = sam3Demo.manifest.config as { pad_token_id: number };
  const tokens = encodeSam3Prompt(demoClipTokenizer(), prompt, { maxLength: SAM3_DEMO.textLength, padTokenId });
  const text = sam3DemoTextReference(tokens.inputIds, tokens.attentionMask);
  const raw = sam3DemoDecoderReference(sam3DemoVisionReference(pixels), text);
  const M = SAM3_DEMO.maskSize;
  const expected: ExpectedDetection[] = [];
  raw.predLogits.forEach((logit, q) => {
    const score = sigmoid(logit) * sigmoid(raw.presenceLogit);
    if (score <= threshold) return;
    const probs = raw.predMasks.subarray(q * M * M, (q + 1) * M * M).map(sigmoid);
    const [x1, y1, x2, y2] = sam3DemoBox(q);
    expected.push({
      q,
      score,
      box: [x1 * image.width, y1 * image.height, x2 * image.width, y2 * image.height],
      probs: resizeBilinearFloat(probs, M, M, image.height, image.width),
    });
  });
  return expected.sort((a, b) => b.score - a.score);
}

/** Pixels that differ, ignoring those whose probability is within 1e-4 of the threshold (float noise). */
function maskMismatches(mask: number[], probs: Float32Array): number {
  return mask.filter((v, i) => Math.abs(probs[i] - 0.5) > 1e-4 && v !== (probs[i] > 0.5 ? 1 : 0)).length;
}

function expectDetectionsMatch(
  detections: Sam3Detection[],
  prompt: string,
  expected: ExpectedDetection[],
  toDense: (d: Sam3Detection) => number[],
) {
  expect(detections.length).toBe(expected.length);
  detections.forEach((d, k) => {
    expect(d.prompt).toBe(prompt);
    expect(d.score).toBeCloseTo(expected[k].score, 5);
    d.box.forEach((v, j) => expect(v).toBeCloseTo(expected[k].box[j], 3));
    const dense = toDense(d);
    expect(dense.length).toBe(expected[k].probs.length);
    expect(maskMismatches(dense, expected[k].probs)).toBe(0);
    expect(dense.some((v) => v === 1)).toBe(true);
    expect(dense.some((v) => v === 0)).toBe(true);
  });
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
    const image = sceneImage();
    const prompts = ['cat', 'red ball'];
    const { results } = await processor.infer([image], processor.parseParams({ prompts }), runner);
    expect(results).toHaveLength(1);
    for (const prompt of prompts) {
      const own = results[0].filter((d) => d.prompt === prompt);
      expectDetectionsMatch(own, prompt, await expectedFor(image, prompt, 0.5), (d) => denseRows(d.mask).flat());
      expect(denseRows(own[0].mask).length).toBe(200);
      expect(denseRows(own[0].mask)[0].length).toBe(300);
    }
    const counts = prompts.map((p) => results[0].filter((d) => d.prompt === p).length);
    expect(counts.every((n) => n > 0)).toBe(true);
    expect(results[0].map((d) => d.prompt)).toEqual(prompts.flatMap((p, i) => new Array(counts[i]).fill(p)));
  });

  it('returns COCO RLE that decodes to the same masks', async () => {
    const { processor, runner } = await setUp(4);
    const image = sceneImage();
    const { results } = await processor.infer(
      [image],
      processor.parseParams({ prompts: ['cat'], output_format: 'rle' }),
      runner,
    );
    expectDetectionsMatch(results[0], 'cat', await expectedFor(image, 'cat', 0.5), (d) => {
      expect((d.mask as CocoRle).size).toEqual([200, 300]);
      return Array.from(decodeCocoRle(d.mask as CocoRle));
    });
  });

  it('returns polygons inside the image, spanning the mask’s extent', async () => {
    const { processor, runner } = await setUp(4);
    const image = sceneImage();
    const params = processor.parseParams({ prompts: ['cat'], output_format: 'polygons', polygon_tolerance: 0 });
    const { results } = await processor.infer([image], params, runner);
    const expected = await expectedFor(image, 'cat', 0.5);
    results[0].forEach((d, k) => {
      const points = (d.mask as number[][]).flat();
      const xs = points.filter((_, i) => i % 2 === 0);
      const ys = points.filter((_, i) => i % 2 === 1);
      const on = Array.from(expected[k].probs, (p, i) => (p > 0.5 ? i : -1)).filter((i) => i >= 0);
      const maskXs = on.map((i) => i % 300);
      const maskYs = on.map((i) => Math.floor(i / 300));
      expect([Math.min(...xs), Math.min(...ys)]).toEqual([Math.min(...maskXs), Math.min(...maskYs)]);
      expect([Math.max(...xs), Math.max(...ys)]).toEqual([Math.max(...maskXs) + 1, Math.max(...maskYs) + 1]);
    });
  });

  it('applies threshold and presence: a higher threshold keeps fewer, a long prompt loses presence', async () => {
    const { processor, runner } = await setUp(4);
    const image = sceneImage();
    const strict = await processor.infer([image], processor.parseParams({ prompts: ['cat'], threshold: 0.75 }), runner);
    expectDetectionsMatch(strict.results[0], 'cat', await expectedFor(image, 'cat', 0.75), (d) =>
      denseRows(d.mask).flat(),
    );
    expect(strict.results[0].length).toBeLessThan((await expectedFor(image, 'cat', 0.5)).length);
    const long = 'red ball and a blue square under the green sky';
    const { results } = await processor.infer([image], processor.parseParams({ prompts: [long] }), runner);
    expect(results[0]).toEqual([]);
    expect(await expectedFor(image, long, 0.5)).toEqual([]);
  });

  it('runs the vision encoder once per image content: more prompts and repeat requests hit the cache', async () => {
    const { processor, runner } = await setUp(4);
    const image = sceneImage();
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
      await expectedFor(image, 'red ball', 0.5),
      (d) => denseRows(d.mask).flat(),
    );
    await processor.infer([sceneImage(301, 200)], processor.parseParams({ prompts: ['cat'] }), runner);
    expect(runner.calls.vision_encoder).toBe(2);
  });

  it('runs the vision encoder every time when the cache is off', async () => {
    const { processor, runner } = await setUp(0);
    const image = sceneImage();
    await processor.infer([image], processor.parseParams({ prompts: ['cat'] }), runner);
    await processor.infer([image], processor.parseParams({ prompts: ['cat'] }), runner);
    expect(runner.calls.vision_encoder).toBe(2);
    expect(processor.cacheStats().image.hits).toBe(0);
  });

  it('serves several images per request, batching their encoder runs, each at its own size', async () => {
    const { processor, runner } = await setUp(4);
    const images = [sceneImage(), sceneImage(160, 240)];
    const { results } = await processor.infer(images, processor.parseParams({ prompts: ['cat'] }), runner);
    expect(runner.batchSizes.vision_encoder).toEqual([2]);
    for (const [i, image] of images.entries()) {
      expectDetectionsMatch(results[i], 'cat', await expectedFor(image, 'cat', 0.5), (d) => denseRows(d.mask).flat());
      expect(denseRows(results[i][0].mask).length).toBe(image.height);
    }
  });

  it('declares its graphs from the manifest and warms up with a valid request', async () => {
    const { processor, runner } = await setUp(1);
    expect(Object.keys(processor.expectations).sort()).toEqual(['decoder', 'text_encoder', 'vision_encoder']);
    const warm = await processor.infer([sceneImage(32, 32)], processor.warmupParams(), runner);
    expect(warm.results).toHaveLength(1);
    expect(processor).toBeInstanceOf(Sam3Processor);
  });
});
