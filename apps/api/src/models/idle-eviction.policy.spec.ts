import { IdleCandidate, shouldUnloadIdle } from './idle-eviction.policy.js';

const policy = { idleUnloadSeconds: 10, evictionProtectionSeconds: 30 };
const model = (over: Partial<IdleCandidate> = {}): IdleCandidate => ({
  pinned: false,
  inFlight: 0,
  readyAt: 0,
  lastUsedAt: 0,
  ...over,
});

describe('shouldUnloadIdle', () => {
  it.each([
    ['idle longer than the limit and past protection', model({ lastUsedAt: 20_000 }), 30_000, true],
    ['idle exactly the limit', model({ lastUsedAt: 25_000 }), 35_000, true],
    ['used recently', model({ lastUsedAt: 25_000 }), 34_999, false],
    ['never used but inside the protection window', model(), 29_999, false],
    ['never used and past the protection window', model({ lastUsedAt: undefined }), 30_000, true],
    ['pinned', model({ pinned: true }), 1_000_000, false],
    ['serving a request', model({ inFlight: 1 }), 1_000_000, false],
    ['idle since readiness, which came after its last use', model({ readyAt: 100_000, lastUsedAt: 0 }), 129_999, false],
  ])('%s → %s', (_name, candidate, now, expected) => {
    expect(shouldUnloadIdle(candidate, policy, now)).toBe(expected);
  });

  it('never unloads when idle unload is off', () => {
    expect(shouldUnloadIdle(model(), { idleUnloadSeconds: 0, evictionProtectionSeconds: 0 }, 1e12)).toBe(false);
  });

  it('with no protection, unloads as soon as the idle limit passes', () => {
    const candidate = model({ readyAt: 0, lastUsedAt: undefined });
    expect(shouldUnloadIdle(candidate, { idleUnloadSeconds: 10, evictionProtectionSeconds: 0 }, 9_999)).toBe(false);
    expect(shouldUnloadIdle(candidate, { idleUnloadSeconds: 10, evictionProtectionSeconds: 0 }, 10_000)).toBe(true);
  });
});
