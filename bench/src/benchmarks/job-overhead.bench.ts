import { performance } from 'node:perf_hooks';
import type { Benchmark, BenchOutcome } from '../core/benchmark.js';
import type { BenchContext } from '../core/bench-context.js';
import { fmt, median, summarize } from '../core/stats.js';
import { deleteJson, getJson, postForBytes, postJson } from '../api/http.client.js';
import { benchImage } from '../fixtures/bench-image.js';

interface JobView {
  job_id: string;
  status: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  result: { processing_time?: number } | null;
}

interface JobSample {
  /** finished_at − created_at, from the job's own timestamps (API clock, ms resolution). */
  turnaroundMs: number;
  /** The result's processing_time: the same InferenceService.run a synchronous call does. */
  processingMs: number;
  /** turnaround − processing: queueing, Bull bookkeeping, result storage. */
  overheadMs: number;
  /** started_at − created_at: until a Bull worker picked it up. */
  pickupMs: number;
  /** Client view: POST /jobs/submit until a GET shows it completed with its result (polled every POLL_MS). */
  clientMs: number;
  /** A synchronous POST /inference/dinov3 of the same body, right after the job. */
  syncMs: number;
}

const POLL_MS = 5;
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/**
 * Submits one job and polls it until it is terminal. A record that says "completed" but has no
 * finished_at or result yet is polled again and counted: GET /jobs/{id} reads Bull's job hash before
 * its state, so a job that completes between the two reads comes back half-updated.
 */
async function runJob(
  apiUrl: string,
  body: string,
): Promise<{ job: JobView; clientMs: number; halfUpdatedReads: number }> {
  const started = performance.now();
  const submitted = await postJson<{ job_id: string }>(`${apiUrl}/jobs/submit/dinov3`, body);
  let halfUpdatedReads = 0;
  for (;;) {
    const job = await getJson<JobView>(`${apiUrl}/jobs/${submitted.job_id}`);
    if (job.status === 'completed' && (job.finished_at === null || job.result === null)) halfUpdatedReads += 1;
    else if (TERMINAL.has(job.status)) {
      const clientMs = performance.now() - started;
      if (job.status !== 'completed') throw new Error(`job ${job.job_id} ended ${job.status}: ${job.error}`);
      await deleteJson(`${apiUrl}/jobs/${job.job_id}`);
      return { job, clientMs, halfUpdatedReads };
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

export const jobOverheadBenchmark: Benchmark = {
  name: 'job-overhead',
  title: 'Job overhead: POST /jobs/submit/dinov3 until completed, minus the inference itself',
  description:
    'Sequential DINOv3 (demo) jobs through Bull on Redis. Overhead = (finished_at − created_at) − result.processing_time, ' +
    'from the job record; the client-observed turnaround (submit → polled completed) is compared with a synchronous ' +
    'POST /inference/dinov3 of the same body, alternating job and sync call.',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const api = await ctx.startApi(ctx.tempDir('hf'));
    await postJson(`${api.url}/models/load`, { model_type: 'dinov3' });
    const image = await benchImage(640, 480);
    const body = JSON.stringify({ images: [image.base64] });
    const syncUrl = `${api.url}/inference/dinov3`;
    for (let i = 0; i < 3; i++) {
      await runJob(api.url, body);
      await postForBytes(syncUrl, body);
    }
    const count = ctx.reps(60, 10);
    ctx.log(`${count} jobs, each followed by a synchronous call`);
    const samples: JobSample[] = [];
    let halfUpdated = 0;
    for (let i = 0; i < count; i++) {
      const { job, clientMs, halfUpdatedReads } = await runJob(api.url, body);
      if (halfUpdatedReads > 0) halfUpdated += 1;
      const syncStarted = performance.now();
      await postForBytes(syncUrl, body);
      const syncMs = performance.now() - syncStarted;
      const created = Date.parse(job.created_at);
      const turnaroundMs = Date.parse(job.finished_at as string) - created;
      const processingMs = (job.result?.processing_time ?? Number.NaN) * 1000;
      samples.push({
        turnaroundMs,
        processingMs,
        overheadMs: turnaroundMs - processingMs,
        pickupMs: Date.parse(job.started_at as string) - created,
        clientMs,
        syncMs,
      });
    }
    const pick = (key: keyof JobSample) => summarize(samples.map((s) => s[key]));
    const overhead = pick('overheadMs');
    const pickup = pick('pickupMs');
    const client = pick('clientMs');
    const sync = pick('syncMs');
    const processing = pick('processingMs');
    const turnaround = pick('turnaroundMs');
    const rows = (
      [
        ['job overhead (turnaround − processing_time)', overhead],
        ['  of which pickup (started_at − created_at)', pickup],
        ['job turnaround (finished_at − created_at)', turnaround],
        ['processing_time in the job result', processing],
        [`client: submit → completed result seen (poll ${POLL_MS} ms)`, client],
        ['synchronous POST /inference/dinov3', sync],
      ] as const
    ).map(([name, s]) => [name, s.n, fmt(s.median), fmt(s.p90)]);
    return {
      figures: [
        {
          id: 'job.overhead.median',
          label: 'Job overhead, median',
          value: overhead.median,
          unit: 'ms',
          detail: `n=${overhead.n}; p90 ${fmt(overhead.p90)} ms`,
        },
        {
          id: 'job.overhead.p90',
          label: 'Job overhead, p90',
          value: overhead.p90,
          unit: 'ms',
          detail: `n=${overhead.n}`,
        },
        {
          id: 'job.client_over_sync.median',
          label: 'Job (client turnaround) ÷ synchronous call, median',
          value: median(samples.map((s) => s.clientMs / s.syncMs)),
          unit: 'x',
          detail: `median of ${samples.length} paired ratios (each job with the sync call right after it); medians ${fmt(client.median)} ms / ${fmt(sync.median)} ms`,
        },
      ],
      tables: [
        {
          title: `DINOv3 demo jobs, one 640×480 JPEG each, run one at a time (n=${count})`,
          columns: ['quantity', 'n', 'median ms', 'p90 ms'],
          rows,
        },
      ],
      notes: [
        'created_at/started_at/finished_at come from Bull (ms resolution, API clock); processing_time is measured inside the API around the same InferenceService.run a synchronous request uses, so the difference is what the queue adds.',
        `${halfUpdated} of ${count} jobs were first read back as "completed" without result or finished_at (the GET /jobs/{id} race fixed in 6bcbfb0; expected 0, counted as a regression check).`,
        `Jobs run one at a time, so no job waits behind another; job concurrency is the default (2). Each finished job is deleted through DELETE /jobs/{id}, and the run's Redis keys are removed at the end.`,
      ],
      raw: { pollMs: POLL_MS, samples, halfUpdatedJobs: halfUpdated },
    };
  },
};
