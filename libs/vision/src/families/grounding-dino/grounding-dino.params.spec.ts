import { InvalidInputError } from '@focal/contracts';
import { parseGroundingDinoParams } from './grounding-dino.params.js';

describe('parseGroundingDinoParams', () => {
  it('trims prompts and applies the default thresholds', () => {
    expect(parseGroundingDinoParams({ prompts: [' person ', 'Traffic light'] })).toEqual({
      prompts: ['person', 'Traffic light'],
      phrases: ['person', 'Traffic light'],
      boxThreshold: 0.35,
      textThreshold: 0.25,
    });
  });

  it('accepts the "cat." convention: trailing dots are dropped from what the model reads, not from the label', () => {
    const params = parseGroundingDinoParams({ prompts: ['cat.', 'dog ..'], box_threshold: 0.4, text_threshold: 0.3 });
    expect(params.prompts).toEqual(['cat.', 'dog ..']);
    expect(params.phrases).toEqual(['cat', 'dog']);
    expect([params.boxThreshold, params.textThreshold]).toEqual([0.4, 0.3]);
  });

  it.each([
    [{}, /prompts must be a non-empty list/],
    [{ prompts: [] }, /prompts must be a non-empty list/],
    [{ prompts: ['cat', '  '] }, /prompts\[1\] must be a non-empty string/],
    [{ prompts: ['cat', 3] }, /prompts\[1\] must be a non-empty string/],
    [{ prompts: ['st. louis'] }, /prompts\[0\] must not contain "\."/],
    [{ prompts: ['...'] }, /prompts\[0\] has no text besides dots/],
    [{ prompts: ['cat'], box_threshold: 1.5 }, /box_threshold must be a number between 0 and 1/],
    [{ prompts: ['cat'], text_threshold: '0.3' }, /text_threshold must be a number between 0 and 1/],
  ])('refuses %j', (raw, message) => {
    expect(() => parseGroundingDinoParams(raw as Record<string, unknown>)).toThrow(InvalidInputError);
    expect(() => parseGroundingDinoParams(raw as Record<string, unknown>)).toThrow(message);
  });
});
