import ort from 'onnxruntime-node';
import { InvalidInputError } from '@focal/contracts';
import { type GraphRunner, MicroBatcher, MicroBatchOptions, NamedTensors, Tensor, TensorArray } from '@focal/vision';

function toOrt(tensor: Tensor): ort.Tensor {
  return new ort.Tensor(tensor.dtype, tensor.data as ort.Tensor['data'] & TensorArray, tensor.dims);
}

function fromOrt(tensor: ort.Tensor): Tensor {
  return { dtype: tensor.type as Tensor['dtype'], dims: [...tensor.dims], data: tensor.data as TensorArray };
}

export interface RunObserver {
  onRun(graph: string, batchSize: number, seconds: number): void;
}

/**
 * GraphRunner over onnxruntime-node sessions, one micro-batcher per graph. Graphs whose inputs do not
 * all have a symbolic leading dimension are never batched.
 */
export class OnnxGraphRunner implements GraphRunner {
  private readonly batchers = new Map<string, MicroBatcher>();

  constructor(
    private readonly sessions: Record<string, ort.InferenceSession>,
    batching: MicroBatchOptions,
    private readonly observer?: RunObserver,
  ) {
    for (const [name, session] of Object.entries(sessions)) {
      const options = acceptsBatches(session) ? batching : { ...batching, maxBatchSize: 1 };
      this.batchers.set(name, new MicroBatcher((feeds) => this.runNow(name, feeds), options));
    }
  }

  run(graph: string, feeds: NamedTensors): Promise<NamedTensors> {
    const batcher = this.batchers.get(graph);
    if (!batcher) throw new InvalidInputError(`model has no graph "${graph}"`);
    return batcher.submit(feeds);
  }

  private async runNow(graph: string, feeds: NamedTensors): Promise<NamedTensors> {
    const session = this.sessions[graph];
    const ortFeeds = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, toOrt(t)]));
    const started = process.hrtime.bigint();
    const outputs = await session.run(ortFeeds);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const batch = Object.values(feeds)[0]?.dims[0] ?? 1;
    this.observer?.onRun(graph, batch, seconds);
    return Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, fromOrt(t)]));
  }
}

/** Only a symbolic leading dimension is a batch dimension; a fixed one (1, or 32 for sequence-first text) is not. */
function acceptsBatches(session: ort.InferenceSession): boolean {
  return session.inputMetadata.every((meta) => meta.isTensor && typeof meta.shape[0] === 'string');
}
