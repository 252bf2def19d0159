import { jest } from '@jest/globals';
import { MicroBatcher } from './micro.batcher.js';
import { NamedTensors, float32Tensor } from '../tensor/tensor.js';

/** One batch-1 request: x = [1, ...trailing], filled with `value`. */
function feed(value: number, trailing: number[] = [2]): NamedTensors {
  const size = trailing.reduce((n, d) => n * d, 1);
  return { x: float32Tensor(new Float32Array(size).fill(value), [1, ...trailing]) };
}

/** A model whose output is a known function of its input: y = 2x, plus the batch size it saw. */
function doublingModel() {
  const runs: number[][] = [];
  const run = async (feeds: NamedTensors): Promise<NamedTensors> => {
    const x = feeds.x;
    runs.push([...x.dims]);
    const y = Float32Array.from(x.data as Float32Array, (v) => 2 * v);
    return { y: float32Tensor(y, x.dims) };
  };
  return { run, runs };
}

const values = (out: NamedTensors) => Array.from(out.y.data as Float32Array);

describe('MicroBatcher', () => {
  it('stacks concurrent same-shape requests into one run and hands each caller its own slice', async () => {
    const model = doublingModel();
    const sizes: number[] = [];
    const batcher = new MicroBatcher(model.run, { maxBatchSize: 8, maxDelayMs: 20, onBatch: (n) => sizes.push(n) });
    const results = await Promise.all([1, 2, 3].map((v) => batcher.submit(feed(v))));
    expect(sizes).toEqual([3]);
    expect(model.runs).toEqual([[3, 2]]);
    expect(results.map(values)).toEqual([
      [2, 2],
      [4, 4],
      [6, 6],
    ]);
    results.forEach((r) => expect(r.y.dims).toEqual([1, 2]));
  });

  it('flushes a bucket as soon as it holds maxBatchSize requests and starts a new one', async () => {
    const model = doublingModel();
    const sizes: number[] = [];
    const batcher = new MicroBatcher(model.run, { maxBatchSize: 2, maxDelayMs: 50, onBatch: (n) => sizes.push(n) });
    const results = await Promise.all([1, 2, 3, 4, 5].map((v) => batcher.submit(feed(v))));
    expect(sizes).toEqual([2, 2, 1]);
    expect(model.runs.map((dims) => dims[0])).toEqual([2, 2, 1]);
    expect(results.map((r) => values(r)[0])).toEqual([2, 4, 6, 8, 10]);
  });

  it('does not wait for company when no other request is in flight, and still batches one tick’s submissions', async () => {
    const model = doublingModel();
    const sizes: number[] = [];
    // A delay no test survives: the run must start without it.
    const batcher = new MicroBatcher(model.run, {
      maxBatchSize: 8,
      maxDelayMs: 600_000,
      inFlight: () => 1,
      onBatch: (n) => sizes.push(n),
    });
    expect(values(await batcher.submit(feed(4)))).toEqual([8, 8]);
    const pair = await Promise.all([batcher.submit(feed(1)), batcher.submit(feed(2))]);
    expect(pair.map((r) => values(r)[0])).toEqual([2, 4]);
    expect(sizes).toEqual([1, 2]);
  });

  it('waits out maxDelayMs for a request that is in flight and joins later', async () => {
    const model = doublingModel();
    const sizes: number[] = [];
    const batcher = new MicroBatcher(model.run, {
      maxBatchSize: 8,
      maxDelayMs: 200,
      inFlight: () => 3, // a third request in flight: the two do not hold all of them
      onBatch: (n) => sizes.push(n),
    });
    const first = batcher.submit(feed(1));
    await new Promise((done) => setTimeout(done, 20));
    const second = batcher.submit(feed(2));
    expect((await Promise.all([first, second])).map((r) => values(r)[0])).toEqual([2, 4]);
    expect(sizes).toEqual([2]);
  });

  it('stops waiting once every request in flight has joined, and still takes the rest of that tick', async () => {
    const model = doublingModel();
    const sizes: number[] = [];
    let inFlight = 2;
    // A delay no test survives: the run must start without it.
    const batcher = new MicroBatcher(model.run, {
      maxBatchSize: 8,
      maxDelayMs: 600_000,
      inFlight: () => inFlight,
      onBatch: (n) => sizes.push(n),
    });
    const first = batcher.submit(feed(1));
    await new Promise((done) => setTimeout(done, 20));
    expect(sizes).toEqual([]); // one of the two in flight is missing: it waits
    // The second request brings two images in one tick: both join, although the count was reached at the first.
    const rest = [batcher.submit(feed(2)), batcher.submit(feed(3))];
    expect((await Promise.all([first, ...rest])).map((r) => values(r)[0])).toEqual([2, 4, 6]);
    expect(sizes).toEqual([3]);
    inFlight = 3;
    const again = [batcher.submit(feed(4)), batcher.submit(feed(5))];
    await new Promise((done) => setTimeout(done, 20));
    expect(sizes).toEqual([3]); // two of three: still waiting
    inFlight = 2; // one finished elsewhere; the next to join finds the count reached
    again.push(batcher.submit(feed(6)));
    await Promise.all(again);
    expect(sizes).toEqual([3, 3]);
  });

  it('stacks no more than maxBatchElements input elements, and runs an input at or above the budget alone', async () => {
    const model = doublingModel();
    const sizes: number[] = [];
    // Feeds of 2 elements under a budget of 5: two per run. Feeds of 6: alone.
    const batcher = new MicroBatcher(model.run, {
      maxBatchSize: 8,
      maxDelayMs: 20,
      maxBatchElements: 5,
      onBatch: (n) => sizes.push(n),
    });
    const small = await Promise.all([1, 2, 3, 4, 5].map((v) => batcher.submit(feed(v))));
    expect(small.map((r) => values(r)[0])).toEqual([2, 4, 6, 8, 10]);
    expect(sizes).toEqual([2, 2, 1]);
    const large = await Promise.all([1, 2].map((v) => batcher.submit(feed(v, [6]))));
    expect(large.map((r) => r.y.dims)).toEqual([
      [1, 6],
      [1, 6],
    ]);
    expect(model.runs.slice(-2)).toEqual([
      [1, 6],
      [1, 6],
    ]);
  });

  it('keeps a separate bucket per shape', async () => {
    const model = doublingModel();
    const sizes: number[] = [];
    const batcher = new MicroBatcher(model.run, { maxBatchSize: 8, maxDelayMs: 10, onBatch: (n) => sizes.push(n) });
    const results = await Promise.all([
      batcher.submit(feed(1, [2])),
      batcher.submit(feed(2, [3])),
      batcher.submit(feed(3, [2])),
      batcher.submit(feed(4, [3])),
      batcher.submit(feed(5, [3])),
    ]);
    expect([...sizes].sort()).toEqual([2, 3]);
    expect(model.runs.map((dims) => dims.join('x')).sort()).toEqual(['2x2', '3x3']);
    expect(results.map(values)).toEqual([
      [2, 2],
      [4, 4, 4],
      [6, 6],
      [8, 8, 8],
      [10, 10, 10],
    ]);
  });

  it('never batches with maxBatchSize 1: every request runs alone, unchanged', async () => {
    const model = doublingModel();
    const batcher = new MicroBatcher(model.run, { maxBatchSize: 1, maxDelayMs: 1000 });
    const requests = [1, 2, 3].map((v) => feed(v));
    jest.useFakeTimers();
    let results: NamedTensors[];
    try {
      let settled = false;
      const all = Promise.all(requests.map((r) => batcher.submit(r))).then((out) => {
        settled = true;
        return out;
      });
      // Only what is due now runs: had the batcher waited for maxDelayMs (1000 ms), nothing would have settled.
      await jest.advanceTimersByTimeAsync(0);
      expect(settled).toBe(true);
      results = await all;
    } finally {
      jest.useRealTimers();
    }
    expect(model.runs).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    expect(results.map(values)).toEqual([
      [2, 2],
      [4, 4],
      [6, 6],
    ]);
  });

  it('runs a lone request when maxDelayMs expires, not before', async () => {
    jest.useFakeTimers();
    try {
      const model = doublingModel();
      const sizes: number[] = [];
      const batcher = new MicroBatcher(model.run, { maxBatchSize: 4, maxDelayMs: 30, onBatch: (n) => sizes.push(n) });
      const pending = batcher.submit(feed(7));
      jest.advanceTimersByTime(29);
      expect(model.runs).toEqual([]);
      const late = batcher.submit(feed(8));
      jest.advanceTimersByTime(1);
      expect(sizes).toEqual([2]);
      await expect(pending.then(values)).resolves.toEqual([14, 14]);
      await expect(late.then(values)).resolves.toEqual([16, 16]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('with maxDelayMs 0 still batches the requests of one tick', async () => {
    const model = doublingModel();
    const sizes: number[] = [];
    const batcher = new MicroBatcher(model.run, { maxBatchSize: 8, maxDelayMs: 0, onBatch: (n) => sizes.push(n) });
    const results = await Promise.all([1, 2].map((v) => batcher.submit(feed(v))));
    expect(sizes).toEqual([2]);
    expect(results.map((r) => values(r)[0])).toEqual([2, 4]);
  });

  it('a failed run rejects every caller of that batch and no other', async () => {
    const failing = new Error('session.run exploded');
    const run = async (feeds: NamedTensors): Promise<NamedTensors> => {
      const x = feeds.x.data as Float32Array;
      if (feeds.x.dims[1] === 2) throw failing;
      return {
        y: float32Tensor(
          Float32Array.from(x, (v) => 2 * v),
          feeds.x.dims,
        ),
      };
    };
    const batcher = new MicroBatcher(run, { maxBatchSize: 8, maxDelayMs: 10 });
    const settled = await Promise.allSettled([
      batcher.submit(feed(1, [2])),
      batcher.submit(feed(2, [3])),
      batcher.submit(feed(3, [2])),
    ]);
    expect(settled[0]).toEqual({ status: 'rejected', reason: failing });
    expect(settled[2]).toEqual({ status: 'rejected', reason: failing });
    expect(settled[1].status).toBe('fulfilled');
    expect(values((settled[1] as PromiseFulfilledResult<NamedTensors>).value)).toEqual([4, 4, 4]);
  });

  it('rejects every caller when the model answers with the wrong batch size', async () => {
    const run = async (): Promise<NamedTensors> => ({ y: float32Tensor(new Float32Array(2), [1, 2]) });
    const batcher = new MicroBatcher(run, { maxBatchSize: 8, maxDelayMs: 5 });
    const settled = await Promise.allSettled([batcher.submit(feed(1)), batcher.submit(feed(2))]);
    for (const outcome of settled) {
      expect(outcome.status).toBe('rejected');
      expect(String((outcome as PromiseRejectedResult).reason)).toContain('cannot split a batch of 1 into 2 results');
    }
  });

  it('keeps serving after a failed batch', async () => {
    let fail = true;
    const run = async (feeds: NamedTensors): Promise<NamedTensors> => {
      if (fail) throw new Error('transient');
      return { y: feeds.x };
    };
    const batcher = new MicroBatcher(run, { maxBatchSize: 2, maxDelayMs: 5 });
    await expect(batcher.submit(feed(1))).rejects.toThrow('transient');
    fail = false;
    await expect(batcher.submit(feed(3)).then((out) => Array.from(out.y.data as Float32Array))).resolves.toEqual([
      3, 3,
    ]);
  });
});

/** A model whose runs end only when the test says so: shows what the batcher does while a run is going. */
function gatedModel() {
  const runs: { values: number[]; shape: string; end: () => void }[] = [];
  let active = 0;
  let mostAtOnce = 0;
  const run = (feeds: NamedTensors): Promise<NamedTensors> => {
    active += 1;
    mostAtOnce = Math.max(mostAtOnce, active);
    const x = feeds.x;
    return new Promise((resolve) => {
      runs.push({
        values: Array.from(x.data as Float32Array).filter((_, i) => i % (x.data.length / x.dims[0]) === 0),
        shape: x.dims.slice(1).join('x'),
        end: () => {
          active -= 1;
          resolve({
            y: float32Tensor(
              Float32Array.from(x.data as Float32Array, (v) => 2 * v),
              x.dims,
            ),
          });
        },
      });
    });
  };
  return { run, runs, mostAtOnce: () => mostAtOnce };
}

describe('MicroBatcher while a run is going', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('keeps the bucket whose delay ran out open, and runs it with everything that joined when the run ends', async () => {
    const model = gatedModel();
    const batcher = new MicroBatcher(model.run, { maxBatchSize: 8, maxDelayMs: 5 });
    const first = batcher.submit(feed(1));
    await jest.advanceTimersByTimeAsync(5);
    expect(model.runs.map((r) => r.values)).toEqual([[1]]);
    const later = [batcher.submit(feed(2))];
    await jest.advanceTimersByTimeAsync(20); // its delay is long over: it waits for the run, it does not queue alone
    later.push(batcher.submit(feed(3)));
    await jest.advanceTimersByTimeAsync(20);
    later.push(batcher.submit(feed(4)));
    expect(model.runs).toHaveLength(1);
    model.runs[0].end();
    await expect(first.then(values)).resolves.toEqual([2, 2]);
    await jest.advanceTimersByTimeAsync(0);
    expect(model.runs.map((r) => r.values)).toEqual([[1], [2, 3, 4]]);
    model.runs[1].end();
    expect((await Promise.all(later)).map(values)).toEqual([
      [4, 4],
      [6, 6],
      [8, 8],
    ]);
  });

  it('never starts a second run before the first ends, and runs the waiting batches oldest first', async () => {
    const model = gatedModel();
    const batcher = new MicroBatcher(model.run, { maxBatchSize: 2, maxDelayMs: 5 });
    const all = [batcher.submit(feed(1))];
    await jest.advanceTimersByTimeAsync(5);
    // During the run: a [3]-shaped bucket opens first, then [2]-shaped requests fill two batches of 2 and start a third.
    all.push(batcher.submit(feed(10, [3])));
    all.push(...[2, 3, 4, 5, 6].map((v) => batcher.submit(feed(v))));
    await jest.advanceTimersByTimeAsync(10);
    for (let i = 0; i < 5; i++) {
      expect(model.runs).toHaveLength(i + 1);
      model.runs[i].end();
      await jest.advanceTimersByTimeAsync(0);
    }
    await Promise.all(all);
    expect(model.mostAtOnce()).toBe(1);
    expect(model.runs.map((r) => `${r.shape}:${r.values.join(',')}`)).toEqual(['2:1', '3:10', '2:2,3', '2:4,5', '2:6']);
  });

  it('makes a request that runs alone (at the element budget) wait for the run too', async () => {
    const model = gatedModel();
    const batcher = new MicroBatcher(model.run, { maxBatchSize: 8, maxDelayMs: 5, maxBatchElements: 4 });
    const small = batcher.submit(feed(1));
    await jest.advanceTimersByTimeAsync(5);
    const large = batcher.submit(feed(7, [4]));
    await jest.advanceTimersByTimeAsync(0);
    expect(model.runs).toHaveLength(1);
    model.runs[0].end();
    await small;
    await jest.advanceTimersByTimeAsync(0);
    expect(model.runs.map((r) => r.values)).toEqual([[1], [7]]);
    model.runs[1].end();
    await expect(large.then(values)).resolves.toEqual([14, 14, 14, 14]);
  });
});
