import ort from 'onnxruntime-node';
import { buildDinov3DemoGraph } from '@focal/demo-models';
import { focalSessionOptions } from './session-options.js';

/** CPU time this process spends in the `ms` after the call, doing nothing itself but wait. */
async function idleCpuMs(ms: number): Promise<number> {
  const before = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

async function cpuAfterRuns(options: ort.InferenceSession.SessionOptions): Promise<number[]> {
  const session = await ort.InferenceSession.create(buildDinov3DemoGraph(), options);
  const pixels = new ort.Tensor('float32', new Float32Array(3 * 64 * 64).fill(0.25), [1, 3, 64, 64]);
  const idle: number[] = [];
  try {
    for (let i = 0; i < 4; i++) {
      await session.run({ pixel_values: pixels });
      idle.push(await idleCpuMs(150));
    }
  } finally {
    await session.release();
  }
  return idle;
}

describe('focalSessionOptions', () => {
  it.each<[string, string[], number, ort.InferenceSession.SessionOptions]>([
    [
      'CPU, onnxruntime picks the threads',
      ['cpu'],
      0,
      { executionProviders: ['cpu'], graphOptimizationLevel: 'all', extra: { session: { force_spinning_stop: '1' } } },
    ],
    [
      'CUDA then CPU, 3 intra-op threads',
      ['cuda', 'cpu'],
      3,
      {
        executionProviders: ['cuda', 'cpu'],
        graphOptimizationLevel: 'all',
        intraOpNumThreads: 3,
        extra: { session: { force_spinning_stop: '1' } },
      },
    ],
  ])('%s', (_label, providers, threads, expected) => {
    expect(focalSessionOptions(providers, threads)).toEqual(expected);
  });

  it('leaves no intra-op thread spinning once a run has ended', async () => {
    // With onnxruntime's default, the pool's threads spun for most of the 150 ms after each run here (about 35 ms of
    // CPU each time, even for this small graph); with the options, the process is idle (about 0.3 ms).
    const idle = await cpuAfterRuns(focalSessionOptions(['cpu'], 2));
    expect(Math.max(...idle.slice(1))).toBeLessThan(10);
  });
});
