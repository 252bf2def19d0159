import { metricSum } from '@focal/testing';
import { getText } from './http.client.js';
import { listeningPorts, workerProcesses } from './process-memory.js';

/** Sum and count of the worker's `focal_worker_batch_size` histogram: images per session.run. */
export interface BatchCounters {
  images: number;
  runs: number;
}

/**
 * Reads the batch-size counters of the API's worker for one model type from the worker's own
 * /metrics. The worker's port is found from /proc, since the API does not publish it.
 */
export class WorkerBatchProbe {
  private constructor(private readonly metricsUrl: string) {}

  static async find(apiPid: number, modelType: string): Promise<WorkerBatchProbe | undefined> {
    const worker = workerProcesses(apiPid).find((w) => w.modelType === modelType);
    if (!worker) return undefined;
    for (const port of listeningPorts(worker.pid)) {
      const url = `http://127.0.0.1:${port}/metrics`;
      try {
        if ((await getText(url)).includes('focal_worker_batch_size')) return new WorkerBatchProbe(url);
      } catch {
        // not the HTTP port
      }
    }
    return undefined;
  }

  async read(): Promise<BatchCounters> {
    const text = await getText(this.metricsUrl);
    return {
      images: metricSum(text, 'focal_worker_batch_size_sum', { graph: 'model' }),
      runs: metricSum(text, 'focal_worker_batch_size_count', { graph: 'model' }),
    };
  }
}
