import { decideReplicas, policyOf, type DecisionInput, type DecisionMemory } from './replica.decision.js';

const policy = policyOf({ minReplicas: 0, maxReplicas: 4, targetInFlight: 2, scaleDownDelaySeconds: 30 });
const input = (over: Partial<DecisionInput>): DecisionInput => ({
  policy,
  currentReplicas: 1,
  latest: 0,
  average: 0,
  now: 100_000,
  ...over,
});

describe('decideReplicas', () => {
  it.each<[string, Partial<DecisionInput>, DecisionMemory, number, string | undefined]>([
    ['a request held at zero replicas scales up at once', { currentReplicas: 0, latest: 1 }, {}, 1, 'ScaledUp'],
    ['a burst scales up to ceil(load / target) on its first sample', { latest: 7, average: 1 }, {}, 4, 'ScaledUp'],
    ['scale-up is capped at maxReplicas', { latest: 100, average: 100 }, {}, 4, 'ScaledUp'],
    ['the average alone can scale up', { currentReplicas: 1, latest: 0, average: 2.5 }, {}, 2, 'ScaledUp'],
    ['a load of exactly target × replicas keeps them', { currentReplicas: 2, latest: 4, average: 4 }, {}, 2, undefined],
    ['float noise does not ask for one more replica', { currentReplicas: 2, average: 4.0000001 }, {}, 2, undefined],
    ['a lower load waits for the delay', { currentReplicas: 3, average: 1 }, {}, 3, undefined],
    [
      'a lower load for the whole delay scales down',
      { currentReplicas: 3, average: 1 },
      { belowSince: 70_000 },
      1,
      'ScaledDown',
    ],
    [
      'down to the peak asked for during the delay',
      { currentReplicas: 4, average: 0 },
      { belowSince: 0, peakBelow: 2 },
      2,
      'ScaledDown',
    ],
    [
      'idle for the delay scales to zero',
      { currentReplicas: 2, average: 0 },
      { belowSince: 70_000, peakBelow: 0 },
      0,
      'ScaledToZero',
    ],
    [
      'idle but not for the delay yet keeps the replicas',
      { currentReplicas: 2, average: 0 },
      { belowSince: 70_001 },
      2,
      undefined,
    ],
    [
      'a fraction of a request in the average keeps one replica',
      { currentReplicas: 1, average: 0.1 },
      {},
      1,
      undefined,
    ],
    ['kubectl scale above max is brought back to max', { currentReplicas: 9 }, {}, 4, 'OutOfRange'],
  ])('%s', (_name, over, memory, desired, reason) => {
    const decision = decideReplicas(input(over), memory);
    expect(decision.desired).toBe(desired);
    expect(decision.reason).toBe(reason);
  });

  it('brings a count below minReplicas up to min, or more when the load asks', () => {
    const withMin = { ...policy, minReplicas: 2 };
    expect(decideReplicas(input({ policy: withMin, currentReplicas: 0 }), {})).toMatchObject({
      desired: 2,
      reason: 'OutOfRange',
    });
    expect(decideReplicas(input({ policy: withMin, currentReplicas: 0, latest: 8 }), {}).desired).toBe(4);
  });

  it('never scales below minReplicas however idle', () => {
    const withMin = { ...policy, minReplicas: 1 };
    const decision = decideReplicas(input({ policy: withMin, currentReplicas: 1 }), { belowSince: 0 });
    expect(decision.desired).toBe(1);
    expect(decision.reason).toBeUndefined();
  });

  it('remembers since when the load is lower, and forgets it when the load comes back', () => {
    const first = decideReplicas(input({ currentReplicas: 3, average: 1, now: 10_000 }), {});
    expect(first.memory).toEqual({ belowSince: 10_000, peakBelow: 1 });
    const second = decideReplicas(input({ currentReplicas: 3, average: 3, now: 20_000 }), first.memory);
    expect(second.memory).toEqual({ belowSince: 10_000, peakBelow: 2 });
    const back = decideReplicas(input({ currentReplicas: 3, average: 6, now: 25_000 }), second.memory);
    expect(back.memory).toEqual({});
    expect(back.desired).toBe(3);
  });

  it('with no scale-down delay, scales down on the first lower sample', () => {
    const quick = { ...policy, scaleDownDelaySeconds: 0 };
    expect(decideReplicas(input({ policy: quick, currentReplicas: 2, average: 0 }), {})).toMatchObject({
      desired: 0,
      reason: 'ScaledToZero',
    });
  });

  it('explains the decision with the load, the target and the bounds', () => {
    expect(decideReplicas(input({ latest: 7, average: 1 }), {}).message).toBe(
      '7 in flight / targetInFlight 2 → 4 replica(s) (min 0, max 4)',
    );
  });
});
