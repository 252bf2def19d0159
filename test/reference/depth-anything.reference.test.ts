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

/** Depth within 1e-3 of the map's max |value|; the PNG16 within 1 LSB of the one made from HF's depth. */
const DEPTH_TOLERANCE = 1e-3;
const PNG16_TOLERANCE_LSB = 1;

const fixture = loadFixture('depth-anything');

describe('Depth Anything V2 through the API equals Hugging Face (tiny random DepthAnythingForDepthEstimation)', () => {
  let api: FocalApi;

  beforeAll(async () => {
    api = await startReferenceApi({ FOCAL_MODEL_DEPTH_ANYTHING: fixture.modelDir });
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('the fixture was made with the torchvision backend of DPTImageProcessor', () => {
    expect(fixture.reference.processor).toMatchObject({ class: 'DPTImageProcessor', backend: 'torchvision' });
  });

  it.each(fixture.reference.images.map((entry) => [entry.id, entry] as const))('%s', async (id, entry) => {
    const body = await infer(api, 'depth-anything', { images: [imageBase64(entry.image)], export_format: 'npy' });
    const [call] = graphCalls(body);
    const pixels = call.inputs.pixel_values;
    comparePixelValues(fixture, id, entry.pixel_values as FixtureArray, pixels.dims, debugFloat32(pixels));

    const predicted = entry.predicted_depth as FixtureArray;
    const network = call.outputs.predicted_depth;
    expect(network.dims.slice(1)).toEqual(predicted.shape);
    expectWithinTolerance({
      family: fixture.family,
      image: id,
      metric: 'predicted_depth (rel. to max)',
      maxError: relativeToMax(debugFloat32(network), readFixtureArray(fixture, predicted)),
      tolerance: DEPTH_TOLERANCE,
      detail: `${predicted.shape.join('×')}, reference stored to ±${(predicted.quantisation_abs ?? 0).toExponential(1)}`,
    });

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
      detail: `${height}×${width}, reference stored to ±${(depth.quantisation_abs ?? 0).toExponential(1)}`,
    });

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
  });
});
