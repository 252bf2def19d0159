import { expectWithinTolerance } from './support/comparison.recorder.js';
import { absoluteErrors, relativeToMax } from './support/error.metrics.js';
import {
  type FixtureArray,
  imageBase64,
  loadFixture,
  readFixtureArray,
  readPng16Levels,
} from './support/fixture.reader.js';
import { comparePixelValues } from './support/preprocessing.comparison.js';
import {
  type FocalApi,
  debugFloat32,
  graphCalls,
  infer,
  npyFloat32,
  png16Levels,
  startReferenceApi,
} from './support/reference-api.js';

/** Depth and confidence within 1e-3 of the map's max |value|; PNG16 within 1 LSB; intrinsics within 1e-4 relative. */
const DEPTH_TOLERANCE = 1e-3;
const PNG16_TOLERANCE_LSB = 1;
const INTRINSICS_TOLERANCE = 1e-4;

const fixture = loadFixture('depth-anything-3');

type K = { fx: number; fy: number; cx: number; cy: number };

function intrinsicsError(focal: K, reference: K): number {
  return Math.max(
    ...(['fx', 'fy', 'cx', 'cy'] as const).map((k) => Math.abs(focal[k] - reference[k]) / Math.abs(reference[k])),
  );
}

describe('Depth Anything 3 through the API equals the depth-anything-3 package (tiny random DepthAnything3Net)', () => {
  let api: FocalApi;

  beforeAll(async () => {
    api = await startReferenceApi({ FOCAL_MODEL_DEPTH_ANYTHING: fixture.modelDir });
  });

  afterAll(async () => {
    await api?.stop();
  });

  it("the fixture was made with the package's InputProcessor (504, upper_bound_resize)", () => {
    expect(fixture.reference.processor).toMatchObject({
      class: 'InputProcessor',
      process_res: '504',
      process_res_method: 'upper_bound_resize',
    });
  });

  it.each(fixture.reference.images.map((entry) => [entry.id, entry] as const))('%s', async (id, entry) => {
    const body = await infer(api, 'depth-anything', { images: [imageBase64(entry.image)], export_format: 'npy' });
    const [call] = graphCalls(body);
    const pixels = call.inputs.pixel_values;
    comparePixelValues(fixture, id, entry.pixel_values as FixtureArray, pixels.dims, debugFloat32(pixels));

    for (const [role, output] of [
      ['predicted_depth', 'predicted_depth'],
      ['confidence', 'confidence'],
    ] as const) {
      const reference = entry[role] as FixtureArray;
      const tensor = call.outputs[output];
      expect(tensor.dims.slice(1)).toEqual(reference.shape);
      expectWithinTolerance({
        family: fixture.family,
        image: id,
        metric: `${role} at network size (rel. to max)`,
        maxError: relativeToMax(debugFloat32(tensor), readFixtureArray(fixture, reference)),
        tolerance: DEPTH_TOLERANCE,
        detail: `${reference.shape.join('×')}, reference stored to ±${(reference.quantisation_abs ?? 0).toExponential(1)}`,
      });
    }

    const depth = entry.depth as FixtureArray;
    const [height, width] = entry.loaded_size;
    const npy = npyFloat32(body.npy_data);
    expect(npy.shape).toEqual([height, width]);
    expectWithinTolerance({
      family: fixture.family,
      image: id,
      metric: 'depth at original size (rel. to max)',
      maxError: relativeToMax(npy.data, readFixtureArray(fixture, depth)),
      tolerance: DEPTH_TOLERANCE,
      detail: `${height}×${width}`,
    });
    // Asserted like DA2's: the cv2 INTER_CUBIC port reproduces the wheel's IPP arithmetic bit for bit, so the
    // network sees the package's exact pixels. (A float32 cubic was one level off on ~1 value in 15 000 of the
    // enlarged images, which the random net turned into 12–17 LSB here.)
    const png = await png16Levels(body.depth_data);
    expect([png.height, png.width]).toEqual([height, width]);
    const lsb = absoluteErrors(png.levels, readPng16Levels(fixture, depth));
    expectWithinTolerance({
      family: fixture.family,
      image: id,
      metric: 'PNG16 (LSB)',
      maxError: lsb.max,
      tolerance: PNG16_TOLERANCE_LSB,
      detail: `p99.9 ${lsb.p999}`,
    });

    const intrinsics = body.metadata.intrinsics as K;
    expectWithinTolerance({
      family: fixture.family,
      image: id,
      metric: 'intrinsics fx,fy,cx,cy (rel.)',
      maxError: intrinsicsError(intrinsics, entry.intrinsics as K),
      tolerance: INTRINSICS_TOLERANCE,
      detail: `fx ${intrinsics.fx.toFixed(2)} fy ${intrinsics.fy.toFixed(2)}`,
    });
    expect(typeof body.confidence_data).toBe('string');
    expect(body.metadata.confidence.max).toBeGreaterThanOrEqual(body.metadata.confidence.min);
  });

  it("builds the GLB from the model's own intrinsics, not an assumed field of view", async () => {
    const entry = fixture.reference.images.find((e) => e.id === 'landscape-640x480')!;
    const body = await infer(api, 'depth-anything', { images: [imageBase64(entry.image)], export_format: 'glb' });
    const glb = body.metadata.glb as { intrinsicsSource: string; intrinsics: K; depthIsDisparity: boolean };
    expect(glb.intrinsicsSource).toBe('model');
    expect(glb.depthIsDisparity).toBe(false);
    expect(intrinsicsError(glb.intrinsics, entry.intrinsics as K)).toBeLessThanOrEqual(INTRINSICS_TOLERANCE);
    expect(Buffer.from(body.glb_data, 'base64').toString('latin1', 0, 4)).toBe('glTF');
  });
});
