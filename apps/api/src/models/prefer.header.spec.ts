import { preferredWaitSeconds } from './prefer.header.js';

describe('preferredWaitSeconds', () => {
  it.each([
    ['wait=0', 0],
    ['wait=10', 10],
    ['respond-async, wait=5', 5],
    ['WAIT = 7', 7],
    ['wait="3"', 3],
    ['wait=4; foo=bar', 4],
    [['handling=lenient', 'wait=2'], 2],
    ['wait=1, wait=9', 1],
  ] as const)('reads %j as %d seconds', (header, seconds) => {
    expect(preferredWaitSeconds(header as string | string[])).toBe(seconds);
  });

  it.each([undefined, '', 'respond-async', 'wait=-1', 'wait=soon', 'wait', 'wait=1.5', 'waiting=3'])(
    'has no wait preference in %j',
    (header) => {
      expect(preferredWaitSeconds(header)).toBeUndefined();
    },
  );
});
