import {
  TwoToneImage,
  groundingDinoDemoExpectation,
  unmatchedGroundingDinoBoxes,
  readCocoRle,
  sam3DemoExpectation,
  twoToneMaskMismatches,
  twoTonePixels,
} from '@focal/testing';
import { FocalApi, startFocalApi } from '../support/focal-api.process.js';
import { makePixels, pngBase64, postJson } from '../support/test-images.js';

/**
 * SAM3 and Grounding DINO checked by value over HTTP: the demo models' closed forms (derived in `@focal/testing`
 * without Focal's pre- or post-processing) say which detections a known image gives, with their scores, boxes,
 * labels and masks. Shapes alone would pass with any numbers.
 */
describe('SAM3 and Grounding DINO values through the API (demo models)', () => {
  let api: FocalApi;
  const tone: TwoToneImage = { width: 252, height: 168, left: [0, 0, 0], right: [255, 255, 0] };
  let twoTone: string;

  beforeAll(async () => {
    api = await startFocalApi();
    twoTone = await pngBase64({ width: tone.width, height: tone.height, data: twoTonePixels(tone) });
  });

  afterAll(async () => {
    await api?.stop();
  });

  async function sam3(prompts: string[], outputFormat: string, threshold = 0.5) {
    const response = await postJson(`${api.url}/inference/sam3`, {
      images: [twoTone],
      prompts,
      threshold,
      output_format: outputFormat,
    });
    expect(response.status).toBe(200);
    expect(response.body.results).toHaveLength(1);
    return response.body.results[0] as { prompt: string; score: number; box: number[]; mask: unknown }[];
  }

  function expectSam3(detections: Awaited<ReturnType<typeof sam3>>, prompt: string, words: number, threshold = 0.5) {
    const expected = sam3DemoExpectation(tone, words, threshold);
    const own = detections.filter((d) => d.prompt === prompt);
    expect(own.map((d) => d.score)).toHaveLength(expected.length);
    own.forEach((d, k) => {
      expect(d.score).toBeCloseTo(expected[k].score, 4);
      d.box.forEach((v, j) => expect(v).toBeCloseTo(expected[k].box[j], 2));
    });
    return { own, expected };
  }

  it('SAM3 dense masks cover the halves the closed form says, to the pixel, per prompt', async () => {
    const detections = await sam3(['cat', 'red ball'], 'dense');
    for (const [prompt, words] of [
      ['cat', 1],
      ['red ball', 2],
    ] as const) {
      const { own, expected } = expectSam3(detections, prompt, words);
      expect(expected.some((e) => e.covers.left !== e.covers.right)).toBe(true);
      own.forEach((d, k) => {
        const rows = d.mask as number[][];
        expect([rows.length, rows[0].length]).toEqual([168, 252]);
        expect(twoToneMaskMismatches(rows.flat(), tone, expected[k].covers)).toBe(0);
      });
    }
  });

  it('SAM3 RLE is COCO compressed RLE that decodes to the same masks', async () => {
    const detections = await sam3(['cat'], 'rle');
    const { own, expected } = expectSam3(detections, 'cat', 1);
    expect(own.length).toBeGreaterThan(0);
    own.forEach((d, k) => {
      const rle = d.mask as { size: [number, number]; counts: string };
      expect(rle.size).toEqual([168, 252]);
      expect(typeof rle.counts).toBe('string');
      expect(twoToneMaskMismatches(readCocoRle(rle), tone, expected[k].covers)).toBe(0);
    });
  });

  it('SAM3 polygons outline the covered half, and an empty mask has none', async () => {
    const detections = await sam3(['cat'], 'polygons');
    const { own, expected } = expectSam3(detections, 'cat', 1);
    expect(expected.some((e) => !e.covers.left && !e.covers.right)).toBe(true);
    expect(expected.some((e) => e.covers.left !== e.covers.right)).toBe(true);
    own.forEach((d, k) => {
      const { covers } = expected[k];
      const points = (d.mask as number[][]).flat();
      if (!covers.left && !covers.right) return expect(d.mask).toEqual([]);
      const xs = points.filter((_, i) => i % 2 === 0);
      const ys = points.filter((_, i) => i % 2 === 1);
      expect(Math.min(...ys)).toBeLessThanOrEqual(1);
      expect(Math.max(...ys)).toBeGreaterThanOrEqual(167);
      expect(Math.min(...xs)).toBeCloseTo(covers.left ? 0 : 126, -0.5);
      expect(Math.max(...xs)).toBeCloseTo(covers.right ? 252 : 126, -0.5);
    });
  });

  it('SAM3 keeps fewer detections above a stricter threshold, exactly the ones the closed form keeps', async () => {
    const detections = await sam3(['cat'], 'dense', 0.75);
    const { own } = expectSam3(detections, 'cat', 1, 0.75);
    expect(own.length).toBeGreaterThan(0);
    expect(own.length).toBeLessThan(sam3DemoExpectation(tone, 1, 0.5).length);
  });

  it.each([
    ['a mid-grey image', [124, 116, 104] as const, 0.94, 5],
    ['a white image (brighter: more queries clear the threshold)', [255, 255, 255] as const, 0.99, 10],
  ])(
    'Grounding DINO on %s: the boxes, scores and labels of the closed form',
    async (_label, colour, boxThreshold, n) => {
      const [width, height] = [160, 120];
      const image = await pngBase64(makePixels(width, height, () => [...colour]));
      const prompts = ['person', 'car'];
      const response = await postJson(`${api.url}/inference/grounding-dino`, {
        images: [image],
        prompts,
        box_threshold: boxThreshold,
        text_threshold: 0.3,
      });
      expect(response.status).toBe(200);
      const boxes = response.body.results[0].boxes as { box: number[]; score: number; label: string }[];
      const expected = groundingDinoDemoExpectation({
        width,
        height,
        channelMeans: colour,
        prompts,
        boxThreshold,
        textThreshold: 0.3,
      });
      expect(expected).toHaveLength(n);
      expect(boxes).toHaveLength(n);
      expect(new Set(expected.map((e) => e.label))).toEqual(new Set(prompts));
      expect(unmatchedGroundingDinoBoxes(expected, boxes)).toEqual([]);
    },
  );
});
