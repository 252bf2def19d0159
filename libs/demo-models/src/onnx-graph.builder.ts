import onnxProto from 'onnx-proto';

const { onnx } = onnxProto as unknown as { onnx: typeof import('onnx-proto').onnx };
type AttributeProto = import('onnx-proto').onnx.IAttributeProto;

export type GraphDType = 'float32' | 'int64' | 'bool';
export type Dim = number | string;

const DATA_TYPE: Record<GraphDType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

/** Typed attribute constructors, because ONNX cannot tell an int attribute from a float one by value. */
export const attr = {
  int: (name: string, i: number): AttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i }),
  ints: (name: string, ints: number[]): AttributeProto => ({
    name,
    type: onnx.AttributeProto.AttributeType.INTS,
    ints,
  }),
  float: (name: string, f: number): AttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f }),
};

function valueInfo(name: string, dtype: GraphDType, dims: Dim[]) {
  return {
    name,
    type: {
      tensorType: {
        elemType: DATA_TYPE[dtype],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/**
 * A minimal builder over onnx-proto for generating exactly-known graphs (the demo models) and
 * shape-true random-weight ones (the benchmarks). The default opset 13 keeps ReduceMean's `axes` an
 * attribute; 17 brings LayerNormalization.
 */
export class OnnxGraphBuilder {
  private readonly nodes: import('onnx-proto').onnx.INodeProto[] = [];
  private readonly initializers: import('onnx-proto').onnx.ITensorProto[] = [];
  private readonly inputs: ReturnType<typeof valueInfo>[] = [];
  private readonly outputs: ReturnType<typeof valueInfo>[] = [];
  private counter = 0;
  private parameterCount = 0;

  constructor(
    private readonly name: string,
    readonly opset = 13,
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

  /**
   * Stored as little-endian `raw_data` bytes rather than element by element: for a 22M-parameter ViT
   * element-wise `float_data` took seconds and gigabytes to encode.
   */
  floats(values: ArrayLike<number>, dims: number[], name = this.fresh('c')): string {
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

  /** Adds a node and returns its (first) output name; pass `outputs` to name them. */
  node(op: string, inputs: string[], attributes: AttributeProto[] = [], outputs?: string[]): string {
    const outs = outputs ?? [this.fresh(op.toLowerCase())];
    this.nodes.push({ opType: op, input: inputs, output: outs, attribute: attributes, name: this.fresh(`n_${op}`) });
    return outs[0];
  }

  toBytes(): Uint8Array {
    const model = onnx.ModelProto.create({
      // IR 8 is the first to allow opset 15+; IR 7 keeps opset 13 graphs loadable by older runtimes.
      irVersion: this.opset >= 15 ? 8 : 7,
      producerName: 'focal',
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
