import { performance } from 'node:perf_hooks';
import type { Benchmark, BenchOutcome, Figure } from '../core/benchmark.js';
import type { BenchContext } from '../core/bench-context.js';
import { fmt, median } from '../core/stats.js';
import { getJson, postJson } from '../api/http.client.js';
import { readProcessMemory, workerProcesses } from '../api/process-memory.js';
import { benchImage } from '../fixtures/bench-image.js';

const IMAGE = { width: 320, height: 240 };
const SYNC_CLIENTS = 3;
/** The model the load/unload lane cycles; the others keep one worker for the whole soak. */
const CYCLED = 'grounding_dino';
const CYCLE_EVERY_MS = 20_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Family {
  type: string;
  route: string;
  params: Record<string, unknown>;
}

const FAMILIES: Family[] = [
  { type: 'sam3', route: 'sam3', params: { prompts: ['a disc'], threshold: 0.5, output_format: 'rle' } },
  {
    type: 'grounding_dino',
    route: 'grounding-dino',
    params: { prompts: ['a disc', 'the sky'], box_threshold: 0.3, text_threshold: 0.25 },
  },
  { type: 'depth_anything', route: 'depth-anything', params: { export_format: 'png' } },
  { type: 'dinov3', route: 'dinov3', params: {} },
];

interface Snapshot {
  atSeconds: number;
  rssMB: Record<string, number>;
}

/** Current RSS (VmRSS) of the API and of each worker, keyed by role. */
function snapshot(apiPid: number, startedAt: number): Snapshot {
  const rssMB: Record<string, number> = { api: readProcessMemory(apiPid, 'api').rssMB };
  for (const worker of workerProcesses(apiPid))
    rssMB[`worker ${worker.modelType}`] = readProcessMemory(worker.pid, worker.modelType).rssMB;
  return { atSeconds: (performance.now() - startedAt) / 1000, rssMB };
}

/**
 * Mixed traffic for a fixed time: synchronous calls to all four families, jobs (submitted, polled to the
 * end, deleted) and a lane that unloads and reloads one model. Counts every error, whatever its kind.
 */
class SoakTraffic {
  readonly errors: string[] = [];
  readonly counts = { sync: 0, jobs: 0, cycles: 0 };
  /** Set while the cycled model is being unloaded and loaded: sync lanes leave it alone meanwhile. */
  private cycling = false;
  private cycledInFlight = 0;

  constructor(
    private readonly url: string,
    private readonly image: string,
    private readonly until: number,
  ) {}

  async run(): Promise<void> {
    const sync = Array.from({ length: SYNC_CLIENTS }, (_, lane) => this.syncLane(lane));
    await Promise.all([...sync, this.jobLane(), this.cycleLane()]);
  }

  private async syncLane(lane: number): Promise<void> {
    for (let i = lane; performance.now() < this.until; i++) {
      const family = FAMILIES[i % FAMILIES.length];
      if (family.type === CYCLED && this.cycling) continue;
      if (family.type === CYCLED) this.cycledInFlight++;
      await this.record(`sync ${family.type}`, async () => {
        await postJson(`${this.url}/inference/${family.route}`, { images: [this.image], ...family.params }, 60_000);
        this.counts.sync++;
      });
      if (family.type === CYCLED) this.cycledInFlight--;
    }
  }

  private async jobLane(): Promise<void> {
    for (let i = 0; performance.now() < this.until; i++) {
      const family = FAMILIES[2 + (i % 2)];
      await this.record(`job ${family.type}`, async () => {
        const submitted = await postJson<{ job_id: string }>(`${this.url}/jobs/submit/${family.route}`, {
          images: [this.image],
          ...family.params,
        });
        const deadline = performance.now() + 60_000;
        for (;;) {
          const job = await getJson<{ status: string; error: string | null }>(`${this.url}/jobs/${submitted.job_id}`);
          if (job.status === 'completed') break;
          if (job.status === 'failed' || job.status === 'cancelled') throw new Error(`job ${job.status}: ${job.error}`);
          if (performance.now() > deadline) throw new Error('job did not finish within 60 s');
          await sleep(50);
        }
        const removed = await fetch(`${this.url}/jobs/${submitted.job_id}`, { method: 'DELETE' });
        await removed.arrayBuffer();
        if (!removed.ok) throw new Error(`DELETE answered ${removed.status}`);
        this.counts.jobs++;
      });
    }
  }

  /** Unloads and reloads the cycled model every CYCLE_EVERY_MS, once no sync call to it is in flight. */
  private async cycleLane(): Promise<void> {
    while (performance.now() + CYCLE_EVERY_MS < this.until) {
      await sleep(CYCLE_EVERY_MS);
      this.cycling = true;
      while (this.cycledInFlight > 0) await sleep(10);
      await this.record('unload/load', async () => {
        await postJson(`${this.url}/models/unload`, { model_type: CYCLED });
        await postJson(`${this.url}/models/load`, { model_type: CYCLED });
        this.counts.cycles++;
      });
      this.cycling = false;
    }
  }

  private async record(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.errors.push(`${what}: ${(error as Error).message.slice(0, 300)}`);
    }
  }
}

function growth(start: Snapshot, end: Snapshot, role: string): number {
  return (end.rssMB[role] ?? Number.NaN) / (start.rssMB[role] ?? Number.NaN) - 1;
}

/**
 * RSS of a V8 process saws up and down with its garbage collections by tens of MB, so one sample at each
 * end can show growth that is only GC phase. This compares the medians of the first and the last quarter
 * of the samples (every 30 s) instead; both figures are reported.
 */
function windowedGrowth(samples: Snapshot[], role: string): { from: number; to: number; growth: number } {
  const values = samples.map((s) => s.rssMB[role]).filter((v): v is number => Number.isFinite(v));
  const quarter = Math.max(1, Math.floor(values.length / 4));
  const from = median(values.slice(0, quarter));
  const to = median(values.slice(-quarter));
  return { from, to, growth: to / from - 1 };
}

export const soakBenchmark: Benchmark = {
  name: 'soak',
  title: 'Soak: mixed traffic on all four families, jobs, loads and unloads (demo models)',
  description:
    'For --soak-seconds (default 600): 3 closed-loop clients cycling SAM3, Grounding DINO, Depth Anything and ' +
    'DINOv3, one client running jobs to the end (then deleting them), and one unloading and reloading ' +
    'Grounding DINO every 20 s, after a warm-up of the same traffic (60 s; 10 s with --quick). Reports every error ' +
    'and the RSS of the API and of each worker at the start and the end.',
  onlyWhenSelected: true,
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const seconds = ctx.settings.soakSeconds ?? (ctx.quick ? 30 : 600);
    const hfRoot = ctx.tempDir('hf');
    const api = await ctx.startApi(hfRoot);
    const image = (await benchImage(IMAGE.width, IMAGE.height)).base64;
    for (const family of FAMILIES) await postJson(`${api.url}/models/load`, { model_type: family.type });
    // Warm-up: the same traffic for a minute (10 s under --quick), so the start figures are of processes whose
    // heaps and caches have reached their working size, not of fresh ones.
    const warmupMs = ctx.reps(60_000, 10_000);
    await new SoakTraffic(api.url, image, performance.now() + warmupMs).run();
    const startedAt = performance.now();
    const start = snapshot(api.pid, startedAt);
    ctx.log(`soaking for ${seconds} s`);
    const traffic = new SoakTraffic(api.url, image, startedAt + seconds * 1000);
    const samples: Snapshot[] = [start];
    const sampler = setInterval(() => samples.push(snapshot(api.pid, startedAt)), 30_000);
    await traffic.run();
    clearInterval(sampler);
    const end = snapshot(api.pid, startedAt);
    samples.push(end);
    const roles = Object.keys(start.rssMB).filter((role) => role in end.rssMB);
    const figures: Figure[] = [
      {
        id: 'soak.errors',
        label: `Soak of ${seconds} s: errors`,
        value: traffic.errors.length,
        unit: 'count',
        detail: `${traffic.counts.sync} sync calls, ${traffic.counts.jobs} jobs, ${traffic.counts.cycles} unload/load cycles`,
      },
      ...roles.map((role) => ({
        id: `soak.rss_growth.${role.replace(/\s+/g, '_')}`,
        label: `Soak of ${seconds} s: RSS growth, ${role}${role === `worker ${CYCLED}` ? ' (a new process after each cycle)' : ''}`,
        value: growth(start, end, role) * 100,
        unit: 'abs' as const,
        detail: `% (${fmt(start.rssMB[role])} MB → ${fmt(end.rssMB[role])} MB, VmRSS)`,
      })),
      ...roles
        .filter((role) => role !== `worker ${CYCLED}`)
        .map((role) => {
          const windowed = windowedGrowth(samples, role);
          return {
            id: `soak.rss_growth_windowed.${role.replace(/\s+/g, '_')}`,
            label: `Soak of ${seconds} s: RSS growth, ${role}, median of the first ÷ last quarter of samples`,
            value: windowed.growth * 100,
            unit: 'abs' as const,
            detail: `% (${fmt(windowed.from)} MB → ${fmt(windowed.to)} MB, ${samples.length} samples)`,
          };
        }),
    ];
    return {
      figures,
      tables: [
        {
          title: `RSS (MB, VmRSS) during the soak of ${seconds} s`,
          columns: ['t (s)', ...roles],
          rows: samples.map((s) => [fmt(s.atSeconds), ...roles.map((role) => fmt(s.rssMB[role] ?? Number.NaN))]),
        },
      ],
      notes: [
        `${traffic.counts.sync} synchronous calls, ${traffic.counts.jobs} jobs and ${traffic.counts.cycles} unload/load cycles of ${CYCLED}; ${traffic.errors.length} errors.`,
        `The ${CYCLED} worker is a new process after every cycle, so its RSS is a fresh worker's, not a growth figure.`,
        ...traffic.errors.slice(0, 10).map((error) => `error: ${error}`),
      ],
      raw: { seconds, counts: traffic.counts, errors: traffic.errors, samples },
    };
  },
};
