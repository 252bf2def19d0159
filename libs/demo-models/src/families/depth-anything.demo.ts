import { OnnxGraphBuilder, attr } from '../onnx-graph.builder.js';
import type { DemoModel } from '../demo-model.js';
import { demoManifest } from '../demo-manifest.js';

/**
 * Depth Anything V2 demo: `pixel_values [B,3,H,W]` → `predicted_depth [B,H,W]` with
 * predicted_depth = mean over channels of pixel_values + OFFSET (kept positive, like real relative depth).
 */
export const DEPTH_DEMO = { offset: 3 } as const;

export function buildDepthDemoGraph(): Uint8Array {
  const g = new OnnxGraphBuilder('depth-anything-demo');
  const pixels = g.input('pixel_values', 'float32', ['batch', 3, 'height', 'width']);
  const mean = g.node('ReduceMean', [pixels], [attr.ints('axes', [1]), attr.int('keepdims', 0)]);
  g.node('Add', [mean, g.floats([DEPTH_DEMO.offset], [1])], [], ['predicted_depth']);
  g.output('predicted_depth', 'float32', ['batch', 'height', 'width']);
  return g.toBytes();
}

/** The demo graph's output in plain JS for one preprocessed image [3,H,W]. */
export function depthDemoReference(pixels: Float32Array, height: number, width: number): Float32Array {
  const plane = height * width;
  const out = new Float32Array(plane);
  for (let i = 0; i < plane; i++)
    out[i] = (pixels[i] + pixels[plane + i] + pixels[2 * plane + i]) / 3 + DEPTH_DEMO.offset;
  return out;
}

export const depthAnythingDemo: DemoModel = {
  family: 'depth_anything',
  files: () => ({ 'onnx/model.onnx': buildDepthDemoGraph() }),
  manifest: demoManifest('depth_anything', { source: 'focal demo (closed-form Depth Anything V2 stand-in)' }),
};
