import { jsonShapeProblem } from './json-shape.check.js';

const LIMITS = { maxDepth: 4, maxArrayLength: 3 };

/** `levels` arrays nested inside one another, built iteratively. */
function nested(levels: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < levels; i++) value = [value];
  return value;
}

describe('jsonShapeProblem', () => {
  it.each<[string, unknown]>([
    ['a scalar', 42],
    ['null', null],
    ['an empty object', {}],
    ['exactly the depth limit', nested(4)],
    ['objects and arrays mixed up to the limit', { a: [{ b: [] }] }],
    ['arrays of exactly the length limit', { images: ['a', 'b', 'c'], prompts: [1, 2, 3] }],
    ['an object of exactly the member limit', { a: 1, b: 2, c: 3 }],
  ])('accepts %s', (_name, value) => {
    expect(jsonShapeProblem(value, LIMITS)).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['one level too deep', nested(5), 'request body nests deeper than 4 levels (at $[0][0][0][0])'],
    ['deep inside an object', { a: { b: { c: { d: {} } } } }, 'request body nests deeper than 4 levels (at $.a.b.c.d)'],
    [
      'an array one item too long',
      { images: [1, 2, 3, 4] },
      'request body has an array of 4 items at $.images (at most 3)',
    ],
    [
      'an object one member too wide',
      { x: { a: 1, b: 2, c: 3, 'd-e': 4 } },
      'request body has an object with 4 members at $.x (at most 3)',
    ],
    [
      'a wide array under an odd key',
      { 'a b': [[1, 2, 3, 4]] },
      'request body has an array of 4 items at $["a b"][0] (at most 3)',
    ],
  ])('refuses %s', (_name, value, problem) => {
    expect(jsonShapeProblem(value, LIMITS)).toBe(problem);
  });

  it('measures 100,000 nested arrays without recursion (no stack overflow)', () => {
    expect(jsonShapeProblem(nested(100_000), { maxDepth: 32, maxArrayLength: 1024 })).toBe(
      `request body nests deeper than 32 levels (at $${'[0]'.repeat(32)})`,
    );
  });
});
