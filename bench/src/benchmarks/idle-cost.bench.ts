import type { Benchmark, BenchOutcome } from '../core/benchmark.js';
import type { BenchContext } from '../core/bench-context.js';
import { fmt } from '../core/stats.js';
import { postForBytes, postJson } from '../api/http.client.js';
import { type CpuRole, processCpuMs } from '../api/process-cpu.js';
import { workerProcesses } from '../api/process-memory.js';
import { benchImage } from '../fixtures/bench-image.js';

/** Quiet time before the measured window: the load's warm-up and its garbage are behind it. */
const SETTLE_MS = 5_000;
/** /proc counts 10 ms ticks: 30 s resolves 0.33 ms of CPU a second. */
const WINDOW_MS = 30_000;

interface IdleProcess extends CpuRole {
  cpuMsPerSecond: number;
}

async function measureIdle(roles: CpuRole[], windowMs: number): Promise<IdleProcess[]> {
  const before = roles.map((r) => processCpuMs(r.pid));
  const started = performance.now();
  await new Promise((done) => setTimeout(done, windowMs));
  const seconds = (performance.now() - started) / 1000;
  return roles.map((r, i) => ({ ...r, cpuMsPerSecond: (processCpuMs(r.pid) - before[i]) / seconds }));
}

export const idleCostBenchmark: Benchmark = {
  name: 'idle-cost',
  title: 'Idle cost: CPU an API and a loaded worker spend while no request comes',
  description:
    'The real API with the DINOv3 demo model loaded and one request served, then left alone: CPU (user + system, all ' +
    'threads, /proc/<pid>/stat) each process spends a second over a 30 s window after a 5 s settle. On Kubernetes ' +
    'every idle replica pays it; on a small machine it is taken from the requests that do come.',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const api = await ctx.startApi(ctx.tempDir('hf'));
    await postJson(`${api.url}/models/load`, { model_type: 'dinov3' });
    const image = await benchImage(640, 480);
    await postForBytes(`${api.url}/inference/dinov3`, JSON.stringify({ images: [image.base64] }));
    const worker = workerProcesses(api.pid)[0];
    await new Promise((done) => setTimeout(done, ctx.reps(SETTLE_MS, 1_000)));
    const windowMs = ctx.reps(WINDOW_MS, 5_000);
    ctx.log(`measuring ${windowMs / 1000} s of idle CPU`);
    const idle = await measureIdle(
      [
        { role: 'api', pid: api.pid },
        { role: 'worker dinov3 (demo)', pid: worker.pid },
      ],
      windowMs,
    );
    return {
      figures: idle.map((p) => ({
        id: `idle.cpu_ms_per_s.${p.role.split(' ')[0]}`,
        label: `Idle CPU a second, ${p.role}`,
        value: p.cpuMsPerSecond,
        unit: 'ms',
        detail: `CPU ms per second of wall time over ${fmt(windowMs / 1000)} s (10 ms ticks)`,
      })),
      tables: [
        {
          title: 'CPU while idle (model loaded, no requests)',
          columns: ['process', 'pid', 'CPU ms per second'],
          rows: idle.map((p) => [p.role, p.pid, fmt(p.cpuMsPerSecond)]),
        },
      ],
      notes: [
        'The unit is ms of CPU per second of wall time (1000 = one core busy). Event-loop lag is sampled every 100 ms (prom-client defaults to every 10 ms, about 6 ms of CPU a second per process on this machine).',
      ],
      raw: { windowMs, idle },
    };
  },
};
