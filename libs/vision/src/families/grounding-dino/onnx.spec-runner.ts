import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import type { ModelManifest } from '../../manifest/model-manifest.js';
import type { GraphRunner } from '../../pipeline/graph.runner.js';
import { MicroBatcher } from '../../pipeline/micro.batcher.js';
import type { NamedTensors, Tensor, TensorArray } from '../../tensor/tensor.js';

/**
 * Test-only GraphRunner over real onnxruntime-node sessions of a model folder, with the library's micro-batcher in
 * front (so per-image calls of equal shapes really run stacked) and a per-graph count of the calls processors make.
 */
export class OnnxSpecRunner implements GraphRunner {
  readonly calls: Record<string, number> = {};
  readonly batchSizes: Record<string, number[]> = {};
  private readonly batchers = new Map<string, MicroBatcher>();

  private constructor(private readonly sessions: Record<string, ort.InferenceSession>) {
    for (const name of Object.keys(sessions)) {
      this.calls[name] = 0;
      this.batchSizes[name] = [];
      this.batchers.set(
        name,
        new MicroBatcher((feeds) => this.runNow(name, feeds), { maxBatchSize: 8, maxDelayMs: 25 }),
      );
    }
  }

  static async fromFolder(modelDir: string, manifest: ModelManifest): Promise<OnnxSpecRunner> {
    const sessions: Record<string, ort.InferenceSession> = {};
    for (const [name, graph] of Object.entries(manifest.graphs)) {
      sessions[name] = await ort.InferenceSession.create(await readFile(join(modelDir, graph.file)));
    }
    return new OnnxSpecRunner(sessions);
  }

  run(graph: string, feeds: NamedTensors): Promise<NamedTensors> {
    this.calls[graph] += 1;
    const batcher = this.batchers.get(graph);
    if (!batcher) throw new Error(`no graph "${graph}"`);
    return batcher.submit(feeds);
  }

  private async runNow(graph: string, feeds: NamedTensors): Promise<NamedTensors> {
    this.batchSizes[graph].push(Object.values(feeds)[0].dims[0]);
    const ortFeeds = Object.fromEntries(
      Object.entries(feeds).map(([name, t]) => [
        name,
        new ort.Tensor(t.dtype, t.data as ort.Tensor['data'] & TensorArray, t.dims),
      ]),
    );
    const outputs = await this.sessions[graph].run(ortFeeds);
    return Object.fromEntries(
      Object.entries(outputs).map(([name, t]): [string, Tensor] => [
        name,
        { dtype: t.type as Tensor['dtype'], dims: [...t.dims], data: t.data as TensorArray },
      ]),
    );
  }
}
