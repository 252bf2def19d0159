import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError } from '@focal/contracts';
import {
  GROUNDING_DINO_DEMO,
  ensureDemoModel,
  groundingDinoDemoBox,
  groundingDinoDemoFiring,
} from '@focal/demo-models';
import type { RgbImage } from '../../image/rgb-image.js';
import { IMAGENET_NORMALIZATION } from '../../image/normalize.js';
import { MANIFEST_FILE, ModelManifest } from '../../manifest/model-manifest.js';
import type { NamedTensors } from '../../tensor/tensor.js';
import { OnnxSpecRunner } from './onnx.spec-runner.js';
import { GroundingDinoProcessor, createGroundingDinoProcessor } from './grounding-dino.processor.js';

const uniform = (width: number, height: number, rgb: number[]): RgbImage => ({
  width,
  height,
  data: Uint8Array.from({ length: width * height * 3 }, (_, i) => rgb[i % 3]),
});

/** Mean of the ImageNet-normalised pixels of a uniform image: the demo's brightness term. */
function brightness(rgb: number[]): number {
  const { mean, std } = IMAGENET_NORMALIZATION;
  return rgb.reduce((sum, v, c) => sum + (v / 255 - mean[c]) / std[c], 0) / 3;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

// The merged text "a cat. red ball. traffic light." → [CLS] a cat . red ball . traffic light . [SEP]
const PROMPTS = ['a cat', 'Red ball', 'traffic light'];
const TEXT_LENGTH = 11;
const PHRASE_AT: Record<number, string> = {
  1: 'a cat',
  2: 'a cat',
  4: 'Red ball',
  5: 'Red ball',
  7: 'traffic light',
  8: 'traffic light',
};

/** Closed-form expectation from the demo's definition: score, box in pixels, and the phrases its firings hit. */
function expectedDetections(
  rgb: number[],
  image: { width: number; height: number },
  boxThreshold: number,
  textLength = TEXT_LENGTH,
) {
  const b = brightness(rgb);
  const expected = [];
  for (let q = 0; q < GROUNDING_DINO_DEMO.numQueries; q++) {
    const inText = groundingDinoDemoFiring(q).filter((f) => f.position < textLength);
    const score = sigmoid(Math.max(GROUNDING_DINO_DEMO.background, ...inText.map((f) => f.logit)) + b);
    if (score <= boxThreshold) continue;
    const [cx, cy, w, h] = groundingDinoDemoBox(q);
    const box = [
      (cx - w / 2) * image.width,
      (cy - h / 2) * image.height,
      (cx + w / 2) * image.width,
      (cy + h / 2) * image.height,
    ];
    const phrases = new Set(inText.map((f) => PHRASE_AT[f.position]).filter((p) => p !== undefined));
    expected.push({ q, score, box, phrases });
  }
  return expected.sort((x, y) => y.score - x.score || x.q - y.q);
}

describe('GroundingDinoProcessor on the demo ONNX model', () => {
  let root: string;
  let processor: GroundingDinoProcessor;
  let runner: OnnxSpecRunner;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'focal-gdino-'));
    const dir = await ensureDemoModel('grounding_dino', root);
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as ModelManifest;
    processor = await createGroundingDinoProcessor(dir, manifest);
    runner = await OnnxSpecRunner.fromFolder(dir, manifest);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('detects, scores, places and labels boxes to the pixel on non-square images of different brightness', async () => {
    const colours = [
      [128, 128, 128],
      [40, 40, 40],
    ];
    const images = colours.map((rgb) => uniform(640, 400, rgb));
    const params = processor.parseParams({ prompts: PROMPTS, box_threshold: 0.6 });
    const { results } = await processor.infer(images, params, runner);
    expect(runner.batchSizes.model).toContain(2);

    results.forEach(({ boxes }, i) => {
      const expected = expectedDetections(colours[i], images[i], 0.6);
      expect(boxes.length).toBe(expected.length);
      boxes.forEach((box, k) => {
        expect(box.score).toBeCloseTo(expected[k].score, 5);
        box.box.forEach((v, j) => expect(v).toBeCloseTo(expected[k].box[j], 2));
        if (expected[k].phrases.size > 0) expect(expected[k].phrases).toContain(box.label);
        else expect(PROMPTS).toContain(box.label);
      });
      const singlePhrase = boxes.flatMap((box, k) =>
        expected[k].phrases.size === 1 ? [{ box, phrase: [...expected[k].phrases][0] }] : [],
      );
      singlePhrase.forEach(({ box, phrase }) => expect(box.label).toBe(phrase));
      expect(new Set(singlePhrase.map(({ phrase }) => phrase))).toEqual(new Set(PROMPTS));
    });
    expect(results[1].boxes.length).toBeLessThan(results[0].boxes.length);
  });

  it('handles images of different sizes in one request, each in its own pixels', async () => {
    const images = [uniform(300, 500, [90, 160, 220]), uniform(1000, 250, [90, 160, 220])];
    const { results } = await processor.infer(images, processor.parseParams({ prompts: PROMPTS }), runner);
    results.forEach(({ boxes }, i) => {
      const expected = expectedDetections([90, 160, 220], images[i], 0.35);
      expect(boxes.map((b) => b.box[2])).toEqual(expected.map((e) => expect.closeTo(e.box[2], 2)));
      expect(boxes.map((b) => b.box[3])).toEqual(expected.map((e) => expect.closeTo(e.box[3], 2)));
    });
  });

  it('reads only the positions of its own text: queries firing past the 4 tokens of "dog" see −inf and drop out', async () => {
    const image = uniform(400, 400, [128, 128, 128]);
    const { results } = await processor.infer([image], processor.parseParams({ prompts: ['dog'] }), runner);
    const expected = expectedDetections([128, 128, 128], image, 0.35, 4);
    expect(results[0].boxes.map((b) => b.score)).toEqual(expected.map((e) => expect.closeTo(e.score, 5)));
    expect(expected.length).toBeLessThan(expectedDetections([128, 128, 128], image, 0.35).length);
    expect(new Set(results[0].boxes.map((b) => b.label))).toEqual(new Set(['dog']));
  });

  it('refuses prompts that do not fit the model text length before running anything', () => {
    const calls = runner.calls.model;
    const prompts = Array.from({ length: 130 }, () => 'red ball');
    expect(() => processor.parseParams({ prompts })).toThrow(InvalidInputError);
    expect(runner.calls.model).toBe(calls);
  });

  it('takes the resize edges from the manifest, and refuses a bad one at load', async () => {
    const dir = join(root, 'focal-demo', 'grounding_dino');
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as ModelManifest;
    const small = await createGroundingDinoProcessor(dir, {
      ...manifest,
      preprocessing: { shortest_edge: 200, longest_edge: 300 },
    });
    const seen: number[][] = [];
    const spy = {
      run: (graph: string, feeds: NamedTensors) => (seen.push([...feeds.pixel_values.dims]), runner.run(graph, feeds)),
    };
    await small.infer([uniform(640, 400, [1, 2, 3])], small.parseParams({ prompts: ['dog'] }), spy);
    expect(seen).toEqual([[1, 3, 187, 300]]);
    await expect(
      createGroundingDinoProcessor(dir, { ...manifest, preprocessing: { shortest_edge: -1 } }),
    ).rejects.toThrow(/shortest_edge/);
  });

  it('declares the graph roles and ranks it relies on, and warms up with a valid request', async () => {
    expect(processor.expectations.model.inputs).toEqual({
      pixel_values: 4,
      pixel_mask: 3,
      input_ids: 2,
      token_type_ids: 2,
      attention_mask: 2,
    });
    const { results } = await processor.infer([uniform(64, 48, [10, 20, 30])], processor.warmupParams(), runner);
    expect(results).toHaveLength(1);
  });
});
