import type { Job } from './client.types.js';

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

export interface PollOptions {
  intervalMs: number;
  timeoutMs: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/**
 * Polls `fetchJob` until the job is completed, failed or cancelled, reporting every state seen. Gives up
 * after `timeoutMs` with an error that says so (the job itself keeps running on the server).
 */
export async function pollJob(
  fetchJob: () => Promise<Job>,
  onUpdate: (job: Job) => void,
  options: PollOptions,
): Promise<Job> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  for (;;) {
    const job = await fetchJob();
    onUpdate(job);
    if (TERMINAL.has(job.status)) return job;
    if (now() >= deadline) throw new Error(`job ${job.job_id} still ${job.status} after ${options.timeoutMs} ms`);
    await sleep(options.intervalMs);
  }
}
