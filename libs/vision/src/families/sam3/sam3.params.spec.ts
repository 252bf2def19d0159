import { InvalidInputError } from '@focal/contracts';
import { parseSam3Params } from './sam3.params.js';

describe('parseSam3Params', () => {
  it('trims prompts and fills the defaults', () => {
    expect(parseSam3Params({ prompts: [' cat ', 'red ball'] })).toEqual({
      prompts: ['cat', 'red ball'],
      threshold: 0.5,
      maskThreshold: 0.5,
      outputFormat: 'dense',
      polygonTolerance: 1,
      tensorFormat: 'json',
    });
  });

  it('takes every option', () => {
    const raw = {
      prompts: ['cat'],
      threshold: 0.3,
      mask_threshold: 0.7,
      output_format: 'polygons',
      polygon_tolerance: 2.5,
      tensor_format: 'base64',
    };
    expect(parseSam3Params(raw)).toEqual({
      prompts: ['cat'],
      threshold: 0.3,
      maskThreshold: 0.7,
      outputFormat: 'polygons',
      polygonTolerance: 2.5,
      tensorFormat: 'base64',
    });
  });

  it.each([
    [{}, /prompts must be a non-empty list/],
    [{ prompts: [''] }, /prompts\[0\] must be a non-empty string/],
    [{ prompts: ['cat'], threshold: -0.1 }, /threshold must be a number between 0 and 1/],
    [{ prompts: ['cat'], mask_threshold: 2 }, /mask_threshold must be a number between 0 and 1/],
    [{ prompts: ['cat'], output_format: 'png' }, /output_format must be one of dense, rle, polygons/],
    [{ prompts: ['cat'], polygon_tolerance: -1 }, /polygon_tolerance must be a number between 0 and 100/],
    [{ prompts: ['cat'], tensor_format: 'hex' }, /tensor_format must be one of json, base64, npy/],
  ])('refuses %j', (raw, message) => {
    expect(() => parseSam3Params(raw as Record<string, unknown>)).toThrow(InvalidInputError);
    expect(() => parseSam3Params(raw as Record<string, unknown>)).toThrow(message);
  });
});
