import { ConfigValidationError, EnvReader } from './env.reader.js';

/** Runs `read` against a fresh reader and returns its value plus the problems assertValid reports. */
function readWith<T>(
  env: Record<string, string | undefined>,
  read: (reader: EnvReader) => T,
): { value: T; problems: string[] } {
  const reader = new EnvReader(env);
  const value = read(reader);
  try {
    reader.assertValid();
    return { value, problems: [] };
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    return { value, problems: error.problems };
  }
}

describe('EnvReader.raw / string / optionalString', () => {
  it('trims values and treats unset, empty and blank values alike as missing', () => {
    const reader = new EnvReader({ A: '  x  ', EMPTY: '', BLANK: ' \t ', UNSET: undefined });
    expect(reader.raw('A')).toBe('x');
    expect(reader.raw('EMPTY')).toBeUndefined();
    expect(reader.raw('BLANK')).toBeUndefined();
    expect(reader.raw('UNSET')).toBeUndefined();
    expect(reader.raw('ABSENT')).toBeUndefined();
  });

  it('falls back only when the variable is missing or blank', () => {
    const reader = new EnvReader({ SET: 'value', BLANK: '   ' });
    expect(reader.string('SET', 'fallback')).toBe('value');
    expect(reader.string('BLANK', 'fallback')).toBe('fallback');
    expect(reader.optionalString('BLANK')).toBeUndefined();
    expect(reader.optionalString('SET')).toBe('value');
  });
});

describe('EnvReader.int', () => {
  it.each([
    ['42', 42],
    [' 7 ', 7],
    ['-3', -3],
    ['0', 0],
  ])('reads %j as %d', (raw, expected) => {
    expect(readWith({ N: raw }, (r) => r.int('N', 99))).toEqual({ value: expected, problems: [] });
  });

  it('uses the fallback without a problem when unset', () => {
    expect(readWith({}, (r) => r.int('N', 99, { min: 100 }))).toEqual({ value: 99, problems: [] });
  });

  it.each(['1.5', 'abc', '12px', 'NaN', 'Infinity'])(
    'rejects the non-integer %j, naming the variable and value',
    (raw) => {
      const { value, problems } = readWith({ N: raw }, (r) => r.int('N', 99));
      expect(value).toBe(99);
      expect(problems).toEqual([`N must be an integer, got "${raw}"`]);
    },
  );

  it('enforces inclusive bounds', () => {
    expect(readWith({ N: '5' }, (r) => r.int('N', 1, { min: 5, max: 10 })).problems).toEqual([]);
    expect(readWith({ N: '10' }, (r) => r.int('N', 1, { min: 5, max: 10 })).problems).toEqual([]);
    expect(readWith({ N: '4' }, (r) => r.int('N', 1, { min: 5, max: 10 }))).toEqual({
      value: 1,
      problems: ['N must be >= 5'],
    });
    expect(readWith({ N: '11' }, (r) => r.int('N', 1, { min: 5, max: 10 }))).toEqual({
      value: 1,
      problems: ['N must be <= 10'],
    });
  });
});

describe('EnvReader.bool', () => {
  it.each(['1', 'true', 'TRUE', 'Yes', 'on'])('reads %j as true', (raw) => {
    expect(readWith({ B: raw }, (r) => r.bool('B', false))).toEqual({ value: true, problems: [] });
  });

  it.each(['0', 'false', 'False', 'NO', 'off'])('reads %j as false', (raw) => {
    expect(readWith({ B: raw }, (r) => r.bool('B', true))).toEqual({ value: false, problems: [] });
  });

  it('rejects other words and keeps the fallback', () => {
    expect(readWith({ B: 'maybe' }, (r) => r.bool('B', true))).toEqual({
      value: true,
      problems: ['B must be true or false, got "maybe"'],
    });
  });
});

describe('EnvReader.oneOf', () => {
  it('accepts an allowed value exactly as spelled and rejects anything else, listing the choices', () => {
    expect(readWith({ M: 'b' }, (r) => r.oneOf('M', ['a', 'b'] as const, 'a'))).toEqual({ value: 'b', problems: [] });
    expect(readWith({ M: 'B' }, (r) => r.oneOf('M', ['a', 'b'] as const, 'a'))).toEqual({
      value: 'a',
      problems: ['M must be one of a, b, got "B"'],
    });
    expect(readWith({}, (r) => r.oneOf('M', ['a', 'b'] as const, 'b')).value).toBe('b');
  });
});

describe('EnvReader.list', () => {
  it('splits on commas, trims items and drops empty ones', () => {
    expect(new EnvReader({ L: ' a, b ,,c , ' }).list('L')).toEqual(['a', 'b', 'c']);
  });

  it('returns the fallback (default empty) when unset', () => {
    expect(new EnvReader({}).list('L')).toEqual([]);
    expect(new EnvReader({}).list('L', ['*'])).toEqual(['*']);
  });
});

describe('EnvReader.url', () => {
  it('accepts a URL with an allowed protocol and returns it unchanged', () => {
    expect(readWith({ U: 'rediss://cache:6380/2' }, (r) => r.url('U', 'redis://x', ['redis:', 'rediss:']))).toEqual({
      value: 'rediss://cache:6380/2',
      problems: [],
    });
  });

  it('uses the fallback when unset', () => {
    expect(readWith({}, (r) => r.url('U', 'redis://fallback:1', ['redis:']))).toEqual({
      value: 'redis://fallback:1',
      problems: [],
    });
  });

  it('rejects another protocol, naming the allowed ones', () => {
    expect(readWith({ U: 'http://cache' }, (r) => r.url('U', 'redis://fallback', ['redis:', 'rediss:']))).toEqual({
      value: 'redis://fallback',
      problems: ['U must use redis: or rediss:, got "http:"'],
    });
  });

  it('rejects text that is not a URL', () => {
    expect(readWith({ U: 'not a url' }, (r) => r.url('U', 'redis://fallback', ['redis:'])).problems).toEqual([
      'U must be a URL, got "not a url"',
    ]);
  });
});

describe('EnvReader.assertValid / ConfigValidationError', () => {
  it('does nothing when no problem was found', () => {
    expect(() => new EnvReader({}).assertValid()).not.toThrow();
  });

  it('reports every problem at once, in the order found, one per line', () => {
    const reader = new EnvReader({ A: 'x', B: 'maybe' });
    reader.int('A', 0);
    reader.bool('B', false);
    reader.problem('custom check failed');
    let thrown: unknown;
    try {
      reader.assertValid();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigValidationError);
    const error = thrown as ConfigValidationError;
    expect(error.name).toBe('ConfigValidationError');
    expect(error.problems).toEqual([
      'A must be an integer, got "x"',
      'B must be true or false, got "maybe"',
      'custom check failed',
    ]);
    expect(error.message).toBe(
      'Invalid configuration:\n  - A must be an integer, got "x"\n  - B must be true or false, got "maybe"\n  - custom check failed',
    );
  });

  it('hands out a copy of the problems, so later problems do not leak into an earlier error', () => {
    const reader = new EnvReader({});
    reader.problem('first');
    let first: ConfigValidationError | undefined;
    try {
      reader.assertValid();
    } catch (error) {
      first = error as ConfigValidationError;
    }
    reader.problem('second');
    expect(first?.problems).toEqual(['first']);
  });
});
