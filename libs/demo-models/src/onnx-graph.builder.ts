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
 * A minimal builder over onnx-proto for generating small, exactly-known graphs (the demo models).
 * Opset 13 keeps ReduceMean's `axes` an attribute.
 */
export class OnnxGraphBuilder {
  private readonly nodes: import('onnx-proto').onnx.INodeProto[] = [];
  private readonly initializers: import('onnx-proto').onnx.ITensorProto[] = [];
  private readonly inputs: ReturnType<typeof valueInfo>[] = [];
  private readonly outputs: ReturnType<typeof valueInfo>[] = [];
  private counter = 0;

  constructor(private readonly name: string) {}

  input(name: string, dtype: GraphDType, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, dtype, dims));
    return name;
  }

  output(name: string, dtype: GraphDType, dims: Dim[]): string {
    this.outputs.push(valueInfo(name, dtype, dims));
    return name;
  }

  floats(values: ArrayLike<number>, dims: number[], name = this.fresh('c')): string {
    this.initializers.push({ name, dataType: DATA_TYPE.float32, dims, floatData: Array.from(values) });
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
      irVersion: 7,
      producerName: 'focal-demo-models',
      opsetImport: [{ domain: '', version: 13 }],
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
