import ort from 'onnxruntime-node';
import { NodeIO } from '@gltf-transform/core';
import { OnnxGraphBuilder, attr } from '@focal/demo-models';
import type { GraphRunner } from '../../pipeline/graph.runner.js';
import type { NamedTensors, Tensor, TensorArray } from '../../tensor/tensor.js';
import { DepthAnythingProcessor } from './depth-anything.processor.js';
import { dptOutputSize, DEPTH_ANYTHING_PREPROCESSING } from './depth-anything.preprocess.js';

const K = { fx: 300, fy: 310, cx: 120, cy: 250 };

/** A V3-style graph: depth = channel mean + 3, plus a constant `intrinsics` output at the network's input size. */
function v3StyleGraph(): Uint8Array {
  const g = new OnnxGraphBuilder('depth-v3-style');
  const x = g.input('pixel_values', 'float32', ['batch', 3, 'h', 'w']);
  const mean = g.node('ReduceMean', [x], [attr.ints('axes', [1]), attr.int('keepdims', 0)]);
  g.node('Add', [mean, g.floats([3], [1])], [], ['depth']);
  const k = g.floats([K.fx, 0, K.cx, 0, K.fy, K.cy, 0, 0, 1], [1, 3, 3]);
  g.node('Identity', [k], [], ['intrinsics']);
  g.output('depth', 'float32', ['batch', 'h', 'w']);
  g.output('intrinsics', 'float32', [1, 3, 3]);
  return g.toBytes();
}

function sessionRunner(session: ort.InferenceSession): GraphRunner {
  return {
    async run(_graph: string, feeds: NamedTensors) {
      const ortFeeds = Object.fromEntries(
        Object.entries(feeds).map(([n, t]) => [n, new ort.Tensor(t.dtype, t.data as Float32Array, t.dims)]),
      );
      const out = await session.run(ortFeeds);
      return Object.fromEntries(
        Object.entries(out).map(([n, t]): [string, Tensor] => [
          n,
          { dtype: 'float32', dims: [...t.dims], data: t.data as TensorArray },
        ]),
      );
    },
  };
}

describe('DepthAnythingProcessor with a graph that outputs intrinsics (V3-style)', () => {
  it('back-projects the GLB with the model intrinsics, rescaled to the original image', async () => {
    const session = await ort.InferenceSession.create(v3StyleGraph());
    const processor = new DepthAnythingProcessor(
      {
        file: 'model.onnx',
        inputs: { pixel_values: 'pixel_values' },
        outputs: { predicted_depth: 'depth', intrinsics: 'intrinsics' },
      },
      'depth',
    );
    const width = 259;
    const height = 518;
    const data = new Uint8Array(width * height * 3).map((_, i) => (i * 13) % 251);
    const params = processor.parseParams({ export_format: 'glb' });
    const result = await processor.infer([{ data, width, height }], params, sessionRunner(session));

    const [inputHeight, inputWidth] = dptOutputSize(height, width, DEPTH_ANYTHING_PREPROCESSING);
    expect([inputHeight, inputWidth]).toEqual([518, 252]);
    const glb = result.metadata.glb as { intrinsicsSource: string; intrinsics: typeof K; depthIsDisparity: boolean };
    expect(glb.intrinsicsSource).toBe('model');
    expect(glb.depthIsDisparity).toBe(false);
    expect(glb.intrinsics.fx).toBeCloseTo((K.fx * width) / inputWidth, 4);
    expect(glb.intrinsics.cx).toBeCloseTo((K.cx * width) / inputWidth, 4);
    expect(glb.intrinsics.fy).toBeCloseTo((K.fy * height) / inputHeight, 4);
    expect(glb.intrinsics.cy).toBeCloseTo((K.cy * height) / inputHeight, 4);
    expect(result.metadata.kind).toBe('depth');
    // The same rescaled intrinsics are reported in the metadata, whatever the export format.
    expect(result.metadata.intrinsics?.fx).toBeCloseTo(glb.intrinsics.fx, 6);
    expect(result.metadata.intrinsics?.cy).toBeCloseTo(glb.intrinsics.cy, 6);

    const document = await new NodeIO().readBinary(result.glb_data?.data as Uint8Array);
    const primitive = document.getRoot().listMeshes()[0].listPrimitives()[0];
    expect(primitive.getMode()).toBe(0);
    expect(primitive.getAttribute('POSITION')?.getCount()).toBeGreaterThan(1000);
  });

  it('without intrinsics, uses the assumed field of view it was given and says so', async () => {
    const g = new OnnxGraphBuilder('depth-v2');
    const x = g.input('pixel_values', 'float32', ['batch', 3, 'h', 'w']);
    g.node('ReduceMean', [x], [attr.ints('axes', [1]), attr.int('keepdims', 0)], ['predicted_depth']);
    g.output('predicted_depth', 'float32', ['batch', 'h', 'w']);
    const session = await ort.InferenceSession.create(g.toBytes());
    const processor = new DepthAnythingProcessor(
      { file: 'model.onnx', inputs: { pixel_values: 'pixel_values' }, outputs: { predicted_depth: 'predicted_depth' } },
      'relative_inverse_depth',
    );
    const data = new Uint8Array(40 * 30 * 3).fill(90);
    const result = await processor.infer(
      [{ data, width: 40, height: 30 }],
      processor.parseParams({ export_format: 'glb', fov_degrees: 90 }),
      sessionRunner(session),
    );
    const glb = result.metadata.glb as { intrinsicsSource: string; fovDegrees: number; intrinsics: typeof K };
    expect(glb.intrinsicsSource).toBe('assumed_fov');
    expect(glb.fovDegrees).toBe(90);
    expect(glb.intrinsics.fx).toBeCloseTo(20 / Math.tan(Math.PI / 4), 6);
  });
});
