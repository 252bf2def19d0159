import type { GraphRunner, NamedTensors, Tensor } from '@focal/vision';

/** One tensor as JSON: the raw little-endian bytes of its typed array, base64. */
export interface DebugTensor {
  dtype: Tensor['dtype'];
  dims: number[];
  data: string;
}

export interface DebugGraphCall {
  graph: string;
  inputs: Record<string, DebugTensor>;
  outputs: Record<string, DebugTensor>;
}

function toDebug(tensor: Tensor): DebugTensor {
  const bytes = Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  return { dtype: tensor.dtype, dims: [...tensor.dims], data: bytes.toString('base64') };
}

function toDebugAll(tensors: NamedTensors): Record<string, DebugTensor> {
  return Object.fromEntries(Object.entries(tensors).map(([name, t]) => [name, toDebug(t)]));
}

/**
 * Test-only (FOCAL_DEBUG_TENSORS): wraps a request's GraphRunner and keeps every call's feeds and outputs,
 * in the order the calls were made, so a reference test can compare the exact preprocessing with Hugging
 * Face's through the real API. One instance per request, so concurrent requests never mix their records.
 */
export class RecordingGraphRunner implements GraphRunner {
  readonly calls: DebugGraphCall[] = [];

  constructor(private readonly inner: GraphRunner) {}

  async run(graph: string, feeds: NamedTensors): Promise<NamedTensors> {
    const call: DebugGraphCall = { graph, inputs: toDebugAll(feeds), outputs: {} };
    this.calls.push(call);
    const outputs = await this.inner.run(graph, feeds);
    call.outputs = toDebugAll(outputs);
    return outputs;
  }
}
