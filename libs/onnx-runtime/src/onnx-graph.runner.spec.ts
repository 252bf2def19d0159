import ort from 'onnxruntime-node';
import { OnnxGraphBuilder, attr, buildDinov3DemoGraph } from '@focal/demo-models';
import type { NamedTensors } from '@focal/vision';
import { OnnxGraphRunner } from './onnx-graph.runner.js';

function randomPixels(seed: number, size: number): NamedTensors {
  let state = seed;
  const data = new Float32Array(3 * size * size).map(() => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  });
  return { pixel_values: { dtype: 'float32', dims: [1, 3, size, size], data } };
}

function recordingRunner(session: ort.InferenceSession, maxBatchSize: number) {
  const batches: number[] = [];
  const runner = new OnnxGraphRunner(
    { model: session },
    { maxBatchSize, maxDelayMs: 20 },
    {
      onRun: (_graph, size) => batches.push(size),
    },
  );
  return { runner, batches };
}

function maxAbsDiff(a: NamedTensors, b: NamedTensors): number {
  let max = 0;
  for (const name of Object.keys(a)) {
    expect(b[name].dims).toEqual(a[name].dims);
    const x = a[name].data as Float32Array;
    const y = b[name].data as Float32Array;
    for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
  }
  return max;
}

describe('OnnxGraphRunner micro-batching on a real session', () => {
  let session: ort.InferenceSession;

  beforeAll(async () => {
    session = await ort.InferenceSession.create(buildDinov3DemoGraph());
  });

  it('stacks concurrent same-shape requests into one run and gives each caller the same result as unbatched', async () => {
    const inputs = Array.from({ length: 8 }, (_, i) => randomPixels(i + 1, 64));
    const single = recordingRunner(session, 1);
    const batched = recordingRunner(session, 8);
    const unbatchedResults = await Promise.all(inputs.map((feeds) => single.runner.run('model', feeds)));
    const batchedResults = await Promise.all(inputs.map((feeds) => batched.runner.run('model', feeds)));
    expect(single.batches).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(batched.batches).toEqual([8]);
    batchedResults.forEach((result, i) => {
      expect(result.last_hidden_state.dims).toEqual([1, 1 + 4 + 16, 32]);
      expect(maxAbsDiff(result, unbatchedResults[i])).toBeLessThan(1e-5);
    });
    // Different inputs really gave different outputs: the slices were not mixed up.
    expect(maxAbsDiff(batchedResults[0], batchedResults[1])).toBeGreaterThan(1e-3);
  });

  it('keeps one bucket per tensor shape', async () => {
    const batched = recordingRunner(session, 8);
    const inputs = [64, 32, 64, 32, 64].map((size, i) => randomPixels(i + 11, size));
    const results = await Promise.all(inputs.map((feeds) => batched.runner.run('model', feeds)));
    expect([...batched.batches].sort()).toEqual([2, 3]);
    expect(results.map((r) => r.last_hidden_state.dims[1])).toEqual([21, 9, 21, 9, 21]);
  });

  it('never batches a graph whose batch dimension is fixed', async () => {
    const g = new OnnxGraphBuilder('fixed-batch');
    const x = g.input('pixel_values', 'float32', [1, 3, 'h', 'w']);
    g.node('ReduceMean', [x], [attr.ints('axes', [1]), attr.int('keepdims', 0)], ['predicted_depth']);
    g.output('predicted_depth', 'float32', [1, 'h', 'w']);
    const fixed = await ort.InferenceSession.create(g.toBytes());
    const { runner, batches } = recordingRunner(fixed, 8);
    await Promise.all([1, 2, 3].map((seed) => runner.run('model', randomPixels(seed, 16))));
    expect(batches).toEqual([1, 1, 1]);
  });
});
