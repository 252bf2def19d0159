import { expectWithinTolerance } from './support/comparison.recorder.js';
import { relativeToMax } from './support/error.metrics.js';
import { type FixtureArray, imageBase64, loadFixture, readFixtureArray } from './support/fixture.reader.js';
import { comparePixelValues } from './support/preprocessing.comparison.js';
import { type FocalApi, debugFloat32, graphCalls, infer, startReferenceApi } from './support/reference-api.js';

/** last_hidden_state and pooler_output within 1e-3 of the tensor's max |value|. */
const FEATURE_TOLERANCE = 1e-3;

const fixture = loadFixture('dinov3');

describe('DINOv3 through the API equals Hugging Face (tiny random DINOv3ViTModel)', () => {
  let api: FocalApi;

  beforeAll(async () => {
    api = await startReferenceApi({ FOCAL_MODEL_DINOV3: fixture.modelDir });
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('the fixture was made with the torchvision backend of DINOv3ViTImageProcessor', () => {
    expect(fixture.reference.processor).toMatchObject({ class: 'DINOv3ViTImageProcessor', backend: 'torchvision' });
  });

  it.each(fixture.reference.images.map((entry) => [entry.id, entry] as const))('%s', async (id, entry) => {
    const body = await infer(api, 'dinov3', { images: [imageBase64(entry.image)] });
    const [call] = graphCalls(body);
    const pixels = call.inputs.pixel_values;
    comparePixelValues(fixture, id, entry.pixel_values as FixtureArray, pixels.dims, debugFloat32(pixels));

    for (const name of ['last_hidden_state', 'pooler_output'] as const) {
      const reference = entry[name] as FixtureArray;
      const focal = (
        name === 'last_hidden_state' ? body.features.last_hidden_state[0].flat() : body.features.pooler_output[0]
      ) as number[];
      expect(focal).toHaveLength(reference.shape.reduce((n, d) => n * d, 1));
      expectWithinTolerance({
        family: fixture.family,
        image: id,
        metric: `${name} (rel. to max)`,
        maxError: relativeToMax(focal, readFixtureArray(fixture, reference)),
        tolerance: FEATURE_TOLERANCE,
        detail: reference.shape.join('×'),
      });
    }
  });
});
