import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FocalApi, startFocalApi, tempCacheDir } from '../support/focal-api.process.js';
import { getJson, makePixels, pngBase64, postJson } from '../support/test-images.js';

const TERMINAL = ['completed', 'failed', 'cancelled'];

async function waitForJob(api: FocalApi, id: string, statuses = TERMINAL, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const job = await getJson(`${api.url}/jobs/${id}`);
    if (job.status === 200 && statuses.includes(job.body.status)) return job.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not reach ${statuses.join('/')} in time:\n${api.logs().slice(-3000)}`);
}

/** A depth job on three large images: slow enough (about a second) to observe it queued or running. */
async function slowDepthBody() {
  const image = await pngBase64(makePixels(2000, 2000, (x, y) => [x % 256, y % 256, (x + y) % 256]));
  return { images: [image, image, image], export_format: 'png' };
}

/** A model folder whose graph is garbage: loading fails inside the worker, which is a transient error. */
function brokenModelDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'focal-broken-'));
  mkdirSync(join(dir, 'onnx'));
  writeFileSync(join(dir, 'onnx', 'model.onnx'), 'this is not an onnx file');
  return dir;
}

describe('async jobs on Bull + Redis', () => {
  const cache = tempCacheDir();
  let api: FocalApi;
  const small = () => pngBase64(makePixels(40, 30, (x) => [x * 5, 60, 90]));

  beforeAll(async () => {
    api = await startFocalApi({
      HF_ROOT_FOLDER: cache,
      FOCAL_JOB_CONCURRENCY: '1',
      FOCAL_JOB_ATTEMPTS: '3',
      FOCAL_JOB_BACKOFF_MS: '300',
    });
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('runs a job to completion with the same result shape as the synchronous call', async () => {
    const submitted = await postJson(`${api.url}/jobs/submit/dinov3`, { images: [await small()] });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toEqual({ job_id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'queued' });
    const job = await waitForJob(api, submitted.body.job_id);
    expect(job).toMatchObject({ status: 'completed', model_type: 'dinov3', error: null, attempts: 1 });
    expect(job.result.features.pooler_output[0]).toHaveLength(32);
    expect(typeof job.result.processing_time).toBe('number');
    expect(Date.parse(job.created_at)).toBeLessThanOrEqual(Date.parse(job.started_at));
    expect(Date.parse(job.started_at)).toBeLessThanOrEqual(Date.parse(job.finished_at));
  });

  it('validates at submission: a bad job is refused at once and never queued', async () => {
    const before = (await getJson(`${api.url}/jobs`)).body.total;
    const bad = await postJson(`${api.url}/jobs/submit/depth-anything`, { images: ['@@@'], export_format: 'png' });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/not valid base64/);
    const noPrompts = await postJson(`${api.url}/jobs/submit/grounding_dino`, { images: [await small()] });
    expect(noPrompts.status).toBe(400);
    expect(noPrompts.body.detail).toMatch(/prompts/);
    expect((await getJson(`${api.url}/jobs`)).body.total).toBe(before);
    expect((await getJson(`${api.url}/jobs/does-not-exist`)).status).toBe(404);
  });

  it('cancels a queued job, refuses to cancel a running one, and deletes finished ones', async () => {
    const running = await postJson(`${api.url}/jobs/submit/depth_anything`, await slowDepthBody());
    await waitForJob(api, running.body.job_id, ['running']);
    const queued = await postJson(`${api.url}/jobs/submit/dinov3`, { images: [await small()] });
    expect((await getJson(`${api.url}/jobs/${queued.body.job_id}`)).body.status).toBe('queued');

    const busy = await fetch(`${api.url}/jobs/${running.body.job_id}`, { method: 'DELETE' });
    expect(busy.status).toBe(409);
    expect(((await busy.json()) as { detail: string }).detail).toMatch(/running/);

    const cancel = await fetch(`${api.url}/jobs/${queued.body.job_id}`, { method: 'DELETE' });
    expect(await cancel.json()).toEqual({ job_id: queued.body.job_id, status: 'cancelled' });
    const cancelled = await getJson(`${api.url}/jobs/${queued.body.job_id}`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', result: null });
    const listed = await getJson(`${api.url}/jobs?status=cancelled`);
    expect(listed.body.jobs.map((j: { job_id: string }) => j.job_id)).toContain(queued.body.job_id);

    const done = await waitForJob(api, running.body.job_id);
    expect(done.status).toBe('completed');
    expect(done.result.results).toHaveLength(3);
    // The cancelled job never ran: after the running one finished, it is still cancelled.
    expect((await getJson(`${api.url}/jobs/${queued.body.job_id}`)).body.status).toBe('cancelled');

    const removed = await fetch(`${api.url}/jobs/${running.body.job_id}`, { method: 'DELETE' });
    expect(await removed.json()).toEqual({ job_id: running.body.job_id, status: 'deleted' });
    expect((await getJson(`${api.url}/jobs/${running.body.job_id}`)).status).toBe(404);
    await fetch(`${api.url}/jobs/${queued.body.job_id}`, { method: 'DELETE' });
    expect((await getJson(`${api.url}/jobs/${queued.body.job_id}`)).status).toBe(404);
  });

  it('never reports a job completed without its result, however tightly it is polled', async () => {
    const image = await small();
    const ids = await Promise.all(
      Array.from(
        { length: 20 },
        async () => (await postJson(`${api.url}/jobs/submit/dinov3`, { images: [image] })).body.job_id,
      ),
    );
    const torn: unknown[] = [];
    await Promise.all(
      ids.map(async (id: string) => {
        // Polled as fast as it answers (a torn read lasts microseconds), under a deadline.
        const deadline = Date.now() + 60_000;
        while (Date.now() < deadline) {
          const job = (await getJson(`${api.url}/jobs/${id}`)).body;
          if (job.status === 'completed' && (job.result === null || job.finished_at === null)) torn.push(job);
          if (TERMINAL.includes(job.status)) return;
        }
        throw new Error(`job ${id} did not finish within 60 s`);
      }),
    );
    expect(torn).toEqual([]);
  });

  it('lists jobs newest first with a status filter and paging', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await postJson(`${api.url}/jobs/submit/dinov3`, { images: [await small()] })).body.job_id);
    for (const id of ids) await waitForJob(api, id);
    const page1 = (await getJson(`${api.url}/jobs?status=completed&limit=2&offset=0`)).body;
    const page2 = (await getJson(`${api.url}/jobs?status=completed&limit=2&offset=2`)).body;
    expect(page1.jobs).toHaveLength(2);
    expect(page1.total).toBe(page2.total);
    expect(page1.total).toBeGreaterThanOrEqual(3);
    expect(page1.jobs.map((j: { job_id: string }) => j.job_id)).toEqual([ids[2], ids[1]]);
    expect(
      page1.jobs.every((j: { status: string; result: unknown }) => j.status === 'completed' && j.result === null),
    ).toBe(true);
    expect(page2.jobs[0].job_id).toBe(ids[0]);
    const bad = await getJson(`${api.url}/jobs?status=sleeping`);
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/status/);
  });

  it('fails a job at once, without retries, when its input is bad', async () => {
    const submitted = await postJson(`${api.url}/jobs/submit/dinov3`, {
      images: [{ data: 'http://127.0.0.1:9/image.png', format: 'url' }],
    });
    const job = await waitForJob(api, submitted.body.job_id);
    expect(job).toMatchObject({ status: 'failed', attempts: 1 });
    expect(job.error).toMatch(/not allowed/);
  });
});

describe('job retries', () => {
  it('retries a transient failure with backoff, then fails the job with the reason', async () => {
    const api = await startFocalApi({
      FOCAL_MODEL_DINOV3: brokenModelDir(),
      FOCAL_JOB_ATTEMPTS: '3',
      FOCAL_JOB_BACKOFF_MS: '300',
    });
    try {
      const image = await pngBase64(makePixels(16, 16, () => [1, 1, 1]));
      const submitted = await postJson(`${api.url}/jobs/submit/dinov3`, { images: [image] });
      const job = await waitForJob(api, submitted.body.job_id);
      expect(job.status).toBe('failed');
      expect(job.attempts).toBe(3);
      expect(job.error).toMatch(/protobuf|onnx|load/i);
      // Exponential backoff: attempt n+1 starts no sooner than 300 ms × 2^(n-1) after attempt n failed
      // (Bull holds the job delayed until then), read from the API's own structured log lines.
      const events = api
        .logs()
        .split('\n')
        .flatMap((line) => {
          try {
            const entry = JSON.parse(line) as {
              timestamp: number;
              message?: { msg?: string; job_id?: string; attempt?: number };
            };
            return entry.message?.job_id === submitted.body.job_id ? [{ ...entry.message, at: entry.timestamp }] : [];
          } catch {
            return [];
          }
        });
      const at = (msg: string, attempt: number) =>
        events.find((e) => e.msg === msg && e.attempt === attempt)?.at ?? NaN;
      const gaps = [1, 2].map((n) => at('job attempt started', n + 1) - at('job attempt failed', n));
      expect(gaps[0]).toBeGreaterThanOrEqual(300);
      expect(gaps[1]).toBeGreaterThanOrEqual(600);
      const status = (await getJson(`${api.url}/models/status`)).body.dinov3;
      expect(status.state).toBe('failed');
    } finally {
      await api.stop();
    }
  });
});

describe('jobs across an API restart and retention', () => {
  const cache = tempCacheDir();

  it('completes jobs accepted by an API that was killed, once a new API process starts', async () => {
    const env = {
      HF_ROOT_FOLDER: cache,
      FOCAL_QUEUE_PREFIX: `focal-restart-${process.pid}-${Date.now()}`,
      FOCAL_JOB_CONCURRENCY: '1',
      FOCAL_JOB_LOCK_MS: '1500',
    };
    const first = await startFocalApi(env);
    const body = await slowDepthBody();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await postJson(`${first.url}/jobs/submit/depth-anything`, body)).body.job_id);
    await waitForJob(first, ids[0], ['running']);
    await first.kill();

    const second = await startFocalApi(env);
    try {
      for (const id of ids) {
        const job = await waitForJob(second, id, TERMINAL, 90_000);
        expect(job.status).toBe('completed');
        expect(job.result.results).toHaveLength(3);
        expect(job.result.metadata.shape).toEqual([2000, 2000]);
      }
    } finally {
      await second.stop();
    }
  });

  it('forgets finished jobs after the retention period', async () => {
    const api = await startFocalApi({ HF_ROOT_FOLDER: cache, FOCAL_JOB_RETENTION_SECONDS: '1' });
    try {
      const image = await pngBase64(makePixels(16, 16, () => [9, 9, 9]));
      const { job_id } = (await postJson(`${api.url}/jobs/submit/dinov3`, { images: [image] })).body;
      expect((await waitForJob(api, job_id)).status).toBe('completed');
      const deadline = Date.now() + 10_000;
      let status = 200;
      while (status === 200 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        status = (await getJson(`${api.url}/jobs/${job_id}`)).status;
      }
      expect(status).toBe(404);
    } finally {
      await api.stop();
    }
  });
});

describe('jobs without Redis', () => {
  it('answers 503 with a reason when the queue is unreachable, and keeps serving synchronous inference', async () => {
    const api = await startFocalApi({ FOCAL_REDIS_URL: 'redis://127.0.0.1:9' });
    try {
      const image = await pngBase64(makePixels(16, 16, () => [2, 2, 2]));
      const submitted = await postJson(`${api.url}/jobs/submit/dinov3`, { images: [image] });
      expect(submitted.status).toBe(503);
      expect(submitted.body.detail).toMatch(/job queue unavailable/);
      expect((await getJson(`${api.url}/jobs/some-id`)).status).toBe(503);
      expect((await getJson(`${api.url}/jobs`)).status).toBe(503);
      const metrics = await getJson(`${api.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.body).not.toMatch(/focal_job_queue_depth\{/);
      expect((await postJson(`${api.url}/inference/dinov3`, { images: [image] })).status).toBe(200);
    } finally {
      await api.stop();
    }
  });
});
