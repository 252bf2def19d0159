import onnxProto from 'onnx-proto';
import type { Dim, GraphDType } from '@focal/demo-models';

const { onnx } = onnxProto as unknown as { onnx: typeof import('onnx-proto').onnx };
type AttributeProto = import('onnx-proto').onnx.IAttributeProto;

/**
 * The graph-building calls shared with `OnnxGraphBuilder` from @focal/demo-models, which satisfies
 * this interface too. Graph generators (the ViT) are written against it, not against a class.
 */
export interface GraphOps {
  input(name: string, dtype: GraphDType, dims: Dim[]): string;
  output(name: string, dtype: GraphDType, dims: Dim[]): string;
  floats(values: ArrayLike<number>, dims: number[], name?: string): string;
  int64s(values: number[], dims?: number[], name?: string): string;
  node(op: string, inputs: string[], attributes?: AttributeProto[], outputs?: string[]): string;
}

const DATA_TYPE: Record<GraphDType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

function valueInfo(name: string, dtype: GraphDType, dims: Dim[]) {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: DATA_TYPE[dtype], shape: { dim } } } };
}

/**
 * A builder for large graphs. Same calls as `OnnxGraphBuilder`, with two differences that a
 * 22M-parameter ViT needs:
 *  - float initializers are stored as `raw_data` bytes. OnnxGraphBuilder stores `float_data`
 *    element by element; for a ViT-S that took 8 s and 2.1 GB RSS to encode here, this takes
 *    well under a second;
 *  - the opset is a parameter (17 gives LayerNormalization).
 */
export class RawWeightsGraphBuilder implements GraphOps {
  private readonly nodes: import('onnx-proto').onnx.INodeProto[] = [];
  private readonly initializers: import('onnx-proto').onnx.ITensorProto[] = [];
  private readonly inputs: ReturnType<typeof valueInfo>[] = [];
  private readonly outputs: ReturnType<typeof valueInfo>[] = [];
  private counter = 0;
  private parameterCount = 0;

  constructor(
    private readonly name: string,
    readonly opset = 17,
  ) {}

  /** Float parameters held in initializers so far. */
  get parameters(): number {
    return this.parameterCount;
  }

  input(name: string, dtype: GraphDType, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, dtype, dims));
    return name;
  }

  output(name: string, dtype: GraphDType, dims: Dim[]): string {
    this.outputs.push(valueInfo(name, dtype, dims));
    return name;
  }

  floats(values: ArrayLike<number>, dims: number[], name = this.fresh('w')): string {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    const rawData = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.initializers.push({ name, dataType: DATA_TYPE.float32, dims, rawData });
    this.parameterCount += data.length;
    return name;
  }

  int64s(values: number[], dims: number[] = [values.length], name = this.fresh('i')): string {
    this.initializers.push({ name, dataType: DATA_TYPE.int64, dims, int64Data: values });
    return name;
  }

  node(op: string, inputs: string[], attributes: AttributeProto[] = [], outputs?: string[]): string {
    const outs = outputs ?? [this.fresh(op.toLowerCase())];
    this.nodes.push({ opType: op, input: inputs, output: outs, attribute: attributes, name: this.fresh(`n_${op}`) });
    return outs[0];
  }

  toBytes(): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'focal-bench',
      opsetImport: [{ domain: '', version: this.opset }],
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }

  private fresh(prefix: string): string {
    this.counter += 1;
    return `${prefix}_${this.counter}`;
  }
}
