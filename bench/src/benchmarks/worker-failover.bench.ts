import type { Benchmark, BenchOutcome } from '../core/benchmark.js';
import type { BenchContext } from '../core/bench-context.js';
import { getText, postJson } from '../api/http.client.js';
import { workerProcesses } from '../api/process-memory.js';
import { benchImage } from '../fixtures/bench-image.js';

const CLIENTS = 16;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sum of a counter's samples on /metrics whose labels include `labels`. */
function counter(metrics: string, name: string, labels: string): number {
  return metrics
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && line.includes(labels))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

export const workerFailoverBenchmark: Benchmark = {
  name: 'worker-failover',
  title: 'Worker SIGKILLed under 16 clients: answers and failovers (DINOv3 demo)',
  description:
    '16 closed-loop clients on POST /inference/dinov3; after the first 100 answers the worker process is ' +
    'SIGKILLed, and the clients go on until 300 more answers. Counts the answers by status and the calls ' +
    'retried on the restarted worker (focal_inference_failovers_total).',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const api = await ctx.startApi(ctx.tempDir('hf'), { FOCAL_MAX_QUEUE: '1000', FOCAL_QUEUE_TIMEOUT_MS: '120000' });
    const body = JSON.stringify({ images: [(await benchImage(640, 480)).base64] });
    await postJson(`${api.url}/models/load`, { model_type: 'dinov3' });
    const [worker] = workerProcesses(api.pid);
    const statuses: Record<string, number> = {};
    let answered = 0;
    let stop = false;
    const lane = async () => {
      while (!stop) {
        const response = await fetch(`${api.url}/inference/dinov3`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        }).catch(() => undefined);
        await response?.arrayBuffer();
        const key = String(response?.status ?? 'no answer');
        statuses[key] = (statuses[key] ?? 0) + 1;
        answered++;
      }
    };
    const lanes = Array.from({ length: CLIENTS }, lane);
    while (answered < 100) await sleep(10);
    process.kill(worker.pid, 'SIGKILL');
    const killedAt = answered;
    ctx.log(`worker ${worker.pid} SIGKILLed after ${killedAt} answers`);
    while (answered < killedAt + 300) await sleep(10);
    stop = true;
    await Promise.all(lanes);
    const metrics = await getText(`${api.url}/metrics`);
    const served = counter(metrics, 'focal_inference_failovers_total', 'outcome="served"');
    const failed = counter(metrics, 'focal_inference_failovers_total', 'outcome="failed"');
    const errors = answered - (statuses['200'] ?? 0);
    return {
      figures: [
        { id: 'failover.answers', label: 'Answers to 16 clients across the kill', value: answered, unit: 'count' },
        {
          id: 'failover.errors',
          label: 'Answers other than 200 across the kill',
          value: errors,
          unit: 'count',
          detail: JSON.stringify(statuses),
        },
        {
          id: 'failover.served',
          label: 'Calls retried on the restarted worker and served',
          value: served,
          unit: 'count',
          detail: `${failed} failovers failed`,
        },
      ],
      tables: [
        {
          title: 'Answers by status across the kill',
          columns: ['status', 'answers'],
          rows: Object.entries(statuses),
        },
      ],
      notes: [
        `Limits out of reach (FOCAL_MAX_QUEUE=1000, FOCAL_QUEUE_TIMEOUT_MS=120000): this measures failures, not shedding. The kill came after ${killedAt} answers.`,
      ],
      raw: { statuses, answered, killedAt, failovers: { served, failed } },
    };
  },
};
