import { InvalidInputError } from '@focal/contracts';
import { readEnum, readNumber, readPrompts } from './param.readers.js';

function thrown(fn: () => unknown): InvalidInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('expected an InvalidInputError');
}

describe('readNumber', () => {
  it('returns the value when within the inclusive range', () => {
    expect(readNumber({ t: 0.3 }, 't', 0.5, 0, 1)).toBe(0.3);
    expect(readNumber({ t: 0 }, 't', 0.5, 0, 1)).toBe(0);
    expect(readNumber({ t: 1 }, 't', 0.5, 0, 1)).toBe(1);
  });

  it('uses the fallback for a missing or null value', () => {
    expect(readNumber({}, 't', 0.5, 0, 1)).toBe(0.5);
    expect(readNumber({ t: null }, 't', 0.5, 0, 1)).toBe(0.5);
  });

  it.each([[-0.01], [1.01], ['0.5'], [Number.NaN], [Number.POSITIVE_INFINITY], [true], [[0.5]]])(
    'refuses %p',
    (value) => {
      const error = thrown(() => readNumber({ box_threshold: value }, 'box_threshold', 0.5, 0, 1));
      expect(error.status).toBe(400);
      expect(error.message).toBe('box_threshold must be a number between 0 and 1');
    },
  );
});

describe('readEnum', () => {
  const formats = ['dense', 'rle', 'polygons'] as const;

  it('returns an allowed value and falls back for missing or null', () => {
    expect(readEnum({ f: 'rle' }, 'f', formats, 'dense')).toBe('rle');
    expect(readEnum({}, 'f', formats, 'dense')).toBe('dense');
    expect(readEnum({ f: null }, 'f', formats, 'polygons')).toBe('polygons');
  });

  it.each([['RLE'], ['mask'], [''], [3]])('refuses %p, listing the allowed values', (value) => {
    expect(thrown(() => readEnum({ output_format: value }, 'output_format', formats, 'dense')).message).toBe(
      'output_format must be one of dense, rle, polygons',
    );
  });
});

describe('readPrompts', () => {
  it('trims each prompt and keeps the order', () => {
    expect(readPrompts({ prompts: [' cat ', 'dog', '\tred car\n'] })).toEqual(['cat', 'dog', 'red car']);
  });

  it('reads another key when told to', () => {
    expect(readPrompts({ labels: ['a'] }, 'labels')).toEqual(['a']);
  });

  it.each([[undefined], [[]], ['cat'], [{ 0: 'cat' }]])('refuses %p as the list', (value) => {
    expect(thrown(() => readPrompts({ prompts: value })).message).toBe('prompts must be a non-empty list of strings');
  });

  it('names the index of a blank or non-string item', () => {
    expect(thrown(() => readPrompts({ prompts: ['cat', '   '] })).message).toBe(
      'prompts[1] must be a non-empty string',
    );
    expect(thrown(() => readPrompts({ prompts: [42] })).message).toBe('prompts[0] must be a non-empty string');
  });
});
