import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type FocalApi, infer, startReferenceApi } from './support/reference-api.js';
import { recordComparison } from './support/comparison.recorder.js';
import { imageBase64 } from './support/fixture.reader.js';
import { decodeCocoRle } from '../../libs/vision/src/encoding/index.js';

/**
 * SAM3 through the real API against HF (tools/reference/make_sam3.py): the three graphs of the export recipe,
 * chained by Focal, must give HF's `post_process_instance_segmentation` answer for 1 and 3 prompts: the same
 * instances, scores within 1e-4, boxes within 0.5 px, masks with IoU ≥ 0.99 as dense, RLE (equal to pycocotools'
 * encoding of HF's mask) and polygons (rasterised).
 */

interface CocoRle {
  size: [number, number];
  counts: string;
}

interface HfInstance {
  score: number;
  box: number[];
  area: number;
  rle: CocoRle;
}

interface Case {
  id: string;
  image: string;
  image_size: [number, number];
  prompts: string[];
  threshold: number;
  mask_threshold: number;
  results: { prompt: string; instances: HfInstance[] }[];
}

interface FocalDetection {
  prompt: string;
  score: number;
  box: number[];
  mask: number[][] | CocoRle | number[][];
}

const FIXTURE_DIR = resolve('tools/reference/fixtures/sam3');
const reference = JSON.parse(readFileSync(join(FIXTURE_DIR, 'reference.json'), 'utf8')) as {
  model: { dir: string };
  cases: Case[];
};
const FAMILY = 'sam3';
const SCORE_TOLERANCE = 1e-4;
const BOX_TOLERANCE_PX = 0.5;
const MIN_IOU = 0.99;

const imageId = (file: string) => file.replace(/\.[^.]+$/, '');

function iou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    inter += a[i] & b[i];
    union += a[i] | b[i];
  }
  return union === 0 ? 1 : inter / union;
}

/** Pixel (x, y) is inside when its centre is inside a polygon (even-odd), unioned over the polygons. */
function rasterise(polygons: number[][], width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (const flat of polygons) {
    const n = flat.length / 2;
    for (let y = 0; y < height; y++) {
      const cy = y + 0.5;
      const crossings: number[] = [];
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const [xi, yi, xj, yj] = [flat[2 * i], flat[2 * i + 1], flat[2 * j], flat[2 * j + 1]];
        if (yi > cy !== yj > cy) crossings.push(xi + ((cy - yi) / (yj - yi)) * (xj - xi));
      }
      crossings.sort((p, q) => p - q);
      for (let k = 0; k + 1 < crossings.length; k += 2) {
        for (let x = Math.max(0, Math.ceil(crossings[k] - 0.5)); x < width && x + 0.5 < crossings[k + 1]; x++) {
          mask[y * width + x] = 1;
        }
      }
    }
  }
  return mask;
}

/** HF's masks are column-major RLE (pycocotools); Focal's dense rows are row-major. Both → row-major. */
function hfMask(instance: HfInstance): Uint8Array {
  return decodeCocoRle(instance.rle);
}

async function segment(api: FocalApi, c: Case, format: 'dense' | 'rle' | 'polygons'): Promise<FocalDetection[]> {
  const body = await infer(api, 'sam3', {
    images: [imageBase64(c.image)],
    prompts: c.prompts,
    threshold: c.threshold,
    mask_threshold: c.mask_threshold,
    output_format: format,
    polygon_tolerance: 0,
  });
  return body.results[0] as FocalDetection[];
}

describe('SAM3 through the API vs HF post_process_instance_segmentation (three-graph export recipe)', () => {
  let api: FocalApi;
  beforeAll(async () => {
    api = await startReferenceApi({ FOCAL_MODEL_SAM3: join(FIXTURE_DIR, reference.model.dir) });
  });
  afterAll(() => api?.stop());

  it.each(reference.cases.map((c) => [c.id, c] as const))(
    '%s: same instances, scores, boxes and masks in every format',
    async (_, c) => {
      const [width, height] = c.image_size;
      const image = imageId(c.image);
      const label = `${c.prompts.length} prompt${c.prompts.length > 1 ? 's' : ''}`;
      const hf = c.results.flatMap((r) => r.instances.map((instance) => ({ prompt: r.prompt, instance })));
      expect(hf.length).toBeGreaterThan(0);

      const dense = await segment(api, c, 'dense');
      const rle = await segment(api, c, 'rle');
      const polygons = await segment(api, c, 'polygons');
      // Grouped by prompt in request order, each group by score: the order HF's lists are stored in.
      expect(dense.map((d) => d.prompt)).toEqual(hf.map((h) => h.prompt));
      expect(rle.map((d) => d.prompt)).toEqual(hf.map((h) => h.prompt));
      expect(polygons.map((d) => d.prompt)).toEqual(hf.map((h) => h.prompt));

      let score = 0;
      let box = 0;
      let denseIou = 1;
      let polygonIou = 1;
      let rleMismatches = 0;
      hf.forEach(({ instance }, k) => {
        score = Math.max(score, Math.abs(dense[k].score - instance.score));
        dense[k].box.forEach((v, j) => (box = Math.max(box, Math.abs(v - instance.box[j]))));
        const expected = hfMask(instance);
        const rows = dense[k].mask as number[][];
        expect([rows.length, rows[0].length]).toEqual([height, width]);
        denseIou = Math.min(denseIou, iou(Uint8Array.from(rows.flat()), expected));
        const focalRle = rle[k].mask as CocoRle;
        if (focalRle.counts !== instance.rle.counts || focalRle.size.join() !== instance.rle.size.join()) {
          rleMismatches += 1;
        }
        polygonIou = Math.min(polygonIou, iou(rasterise(polygons[k].mask as number[][], width, height), expected));
      });

      const records = [
        recordComparison({
          family: FAMILY,
          image,
          metric: `${label}: score max abs`,
          maxError: score,
          tolerance: SCORE_TOLERANCE,
        }),
        recordComparison({
          family: FAMILY,
          image,
          metric: `${label}: box max abs (px)`,
          maxError: box,
          tolerance: BOX_TOLERANCE_PX,
        }),
        recordComparison({
          family: FAMILY,
          image,
          metric: `${label}: dense mask 1 − min IoU`,
          maxError: 1 - denseIou,
          tolerance: 1 - MIN_IOU,
          detail: `${hf.length} instances`,
        }),
        recordComparison({
          family: FAMILY,
          image,
          metric: `${label}: RLE ≠ pycocotools (instances)`,
          maxError: rleMismatches,
          tolerance: 0,
        }),
        recordComparison({
          family: FAMILY,
          image,
          metric: `${label}: polygon raster 1 − min IoU`,
          maxError: 1 - polygonIou,
          tolerance: 1 - MIN_IOU,
          detail: 'outer contours, tolerance 0',
        }),
      ];
      expect(records.filter((r) => !r.within).map((r) => r.metric)).toEqual([]);
    },
  );
});
