import { type GraphRunner, type NamedTensors, float32Tensor } from '@focal/vision';
import { RecordingGraphRunner } from './recording.graph-runner.js';

const doubler: GraphRunner = {
  async run(_graph: string, feeds: NamedTensors): Promise<NamedTensors> {
    const x = feeds.x.data as Float32Array;
    return {
      y: float32Tensor(
        x.map((v) => v * 2),
        feeds.x.dims,
      ),
    };
  },
};

function decode(base64: string): number[] {
  const bytes = Buffer.from(base64, 'base64');
  return Array.from(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
}

describe('RecordingGraphRunner', () => {
  it('passes calls through and keeps every feed and output, in call order, as raw float32 bytes', async () => {
    const recorder = new RecordingGraphRunner(doubler);
    const first = await recorder.run('model', { x: float32Tensor(Float32Array.from([1, -2.5]), [1, 2]) });
    await recorder.run('other', { x: float32Tensor(Float32Array.from([0.125]), [1, 1]) });
    expect(Array.from(first.y.data as Float32Array)).toEqual([2, -5]);
    expect(recorder.calls.map((c) => c.graph)).toEqual(['model', 'other']);
    expect(recorder.calls[0].inputs.x).toMatchObject({ dtype: 'float32', dims: [1, 2] });
    expect(decode(recorder.calls[0].inputs.x.data)).toEqual([1, -2.5]);
    expect(decode(recorder.calls[0].outputs.y.data)).toEqual([2, -5]);
    expect(decode(recorder.calls[1].outputs.y.data)).toEqual([0.25]);
  });

  it('records only the viewed part of a typed array that shares a larger buffer', async () => {
    const backing = Float32Array.from([9, 9, 3, 4, 9]);
    const recorder = new RecordingGraphRunner(doubler);
    await recorder.run('model', { x: float32Tensor(backing.subarray(2, 4), [1, 2]) });
    expect(decode(recorder.calls[0].inputs.x.data)).toEqual([3, 4]);
  });
});
