import { RefusalPacer } from './refusal.pacer.js';

describe('RefusalPacer', () => {
  it('sends the first refusal on a connection at once', () => {
    expect(new RefusalPacer(1000).holdMs({}, 5_000, 2)).toBe(0);
  });

  it.each([
    // [second refusal at (ms after the first), Retry-After (s), max hold (ms), expected hold (ms)]
    [0, 1, 1000, 1000],
    [300, 1, 1000, 700],
    [999, 1, 1000, 1],
    [1000, 1, 1000, 0],
    [2500, 1, 1000, 0],
    [0, 3, 1000, 1000],
    [0, 1, 250, 250],
    [0, 1, 0, 0],
  ])(
    'holds a refusal %i ms after one with Retry-After %i s (max hold %i ms) for %i ms',
    (after, retryAfter, max, hold) => {
      const pacer = new RefusalPacer(max);
      const connection = {};
      pacer.holdMs(connection, 10_000, retryAfter);
      expect(pacer.holdMs(connection, 10_000 + after, retryAfter)).toBe(hold);
    },
  );

  it('counts the next Retry-After from when the held refusal is sent', () => {
    const pacer = new RefusalPacer(1000);
    const connection = {};
    pacer.holdMs(connection, 0, 1);
    expect(pacer.holdMs(connection, 0, 1)).toBe(1000); // sent at 1000, asked back at 2000
    expect(pacer.holdMs(connection, 1500, 1)).toBe(500);
  });

  it('keeps connections apart', () => {
    const pacer = new RefusalPacer(1000);
    const polite = {};
    pacer.holdMs({}, 0, 1);
    expect(pacer.holdMs(polite, 10, 1)).toBe(0);
  });
});
