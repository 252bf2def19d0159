import type { Job } from './client.types.js';
import { pollJob } from './job.poller.js';

const job = (status: Job['status']): Job => ({
  job_id: 'j1',
  model_type: 'dinov3',
  status,
  result: status === 'completed' ? { ok: true } : null,
  error: null,
  attempts: 1,
});

describe('pollJob', () => {
  it('reports each state in order and returns the finished job', async () => {
    const answers = [job('queued'), job('running'), job('completed')];
    const seen: string[] = [];
    const sleeps: number[] = [];
    const finished = await pollJob(
      async () => answers.shift()!,
      (j) => seen.push(j.status),
      { intervalMs: 250, timeoutMs: 10_000, sleep: async (ms) => void sleeps.push(ms), now: () => 0 },
    );
    expect(seen).toEqual(['queued', 'running', 'completed']);
    expect(sleeps).toEqual([250, 250]);
    expect(finished.result).toEqual({ ok: true });
  });

  it('stops at failed and cancelled too', async () => {
    for (const status of ['failed', 'cancelled'] as const) {
      const finished = await pollJob(
        async () => job(status),
        () => undefined,
        { intervalMs: 1, timeoutMs: 1 },
      );
      expect(finished.status).toBe(status);
    }
  });

  it('gives up at the deadline with the last state in the message', async () => {
    let clock = 0;
    const polled = pollJob(
      async () => job('running'),
      () => undefined,
      { intervalMs: 100, timeoutMs: 300, sleep: async (ms) => void (clock += ms), now: () => clock },
    );
    await expect(polled).rejects.toThrow('job j1 still running after 300 ms');
    expect(clock).toBe(300);
  });
});
