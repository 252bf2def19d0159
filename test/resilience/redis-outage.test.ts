import { FocalApi, launchFocalApi } from '@focal/testing';
import { tempCacheDir } from '../support/focal-api.process.js';
import { getJson, makePixels, pngBase64, postJson } from '../support/test-images.js';
import { PrivateRedis } from './support/private-redis.js';

const OUTAGE_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForJob(api: FocalApi, id: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const job = await getJson(`${api.url}/jobs/${id}`);
    if (job.status === 200 && ['completed', 'failed', 'cancelled'].includes(job.body.status)) return job.body;
    await sleep(200);
  }
  throw new Error(`job ${id} did not finish in time:\n${api.logs().slice(-3000)}`);
}

async function waitUntil(probe: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

describe('a Redis outage', () => {
  let redis: PrivateRedis;
  let api: FocalApi;
  let small: string;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    api = await launchFocalApi({
      redisUrl: redis.url,
      env: {
        HF_ROOT_FOLDER: tempCacheDir(),
        FOCAL_JOB_CONCURRENCY: '1',
        FOCAL_JOB_LOCK_MS: '2000',
        FOCAL_JOB_ATTEMPTS: '5',
        FOCAL_REDIS_TIMEOUT_MS: '1000',
      },
    });
    small = await pngBase64(makePixels(64, 48, (x, y) => [x * 4, y * 5, 90]));
    expect((await postJson(`${api.url}/models/load`, { model_type: 'dinov3' })).status).toBe(200);
    expect((await postJson(`${api.url}/models/load`, { model_type: 'depth_anything' })).status).toBe(200);
  });

  afterAll(async () => {
    await api?.stop();
    await redis?.kill();
  });

  it('keeps sync inference up, refuses jobs with a 503 and a reason, then completes every accepted job', async () => {
    // Slow enough (about a second each, one at a time) that most are still queued when Redis goes.
    const big = await pngBase64(makePixels(1000, 1000, (x, y) => [x % 256, y % 256, (x ^ y) % 256]));
    const accepted: string[] = [];
    for (let i = 0; i < 6; i++) {
      const submitted = await postJson(`${api.url}/jobs/submit/depth-anything`, { images: [big] });
      expect(submitted.status).toBe(200);
      accepted.push(submitted.body.job_id);
    }

    const before = await Promise.all(accepted.map(async (id) => (await getJson(`${api.url}/jobs/${id}`)).body.status));
    // Not vacuous: work was still pending in Redis when it went away.
    expect(before.filter((status) => status !== 'completed').length).toBeGreaterThan(0);
    await redis.kill();
    const outageEnds = Date.now() + OUTAGE_MS;
    const sync: number[] = [];
    const refusals: { status: number; detail: string }[] = [];
    while (Date.now() < outageEnds) {
      sync.push((await postJson(`${api.url}/inference/dinov3`, { images: [small] })).status);
      const job = await postJson(`${api.url}/jobs/submit/dinov3`, { images: [small] });
      refusals.push({ status: job.status, detail: job.body.detail });
      await sleep(250);
    }
    expect(sync.length).toBeGreaterThan(5);
    expect(sync.every((s) => s === 200)).toBe(true);
    expect(refusals.every((r) => r.status === 503 && /job queue unavailable/.test(r.detail))).toBe(true);
    expect((await getJson(`${api.url}/health`)).status).toBe(200);

    await redis.restart();
    // The API reconnects by itself: submissions are accepted again, with no restart of the API.
    await waitUntil(
      async () => (await postJson(`${api.url}/jobs/submit/dinov3`, { images: [small] })).status === 200,
      'job submissions to be accepted again',
    );
    for (const id of accepted) {
      const job = await waitForJob(api, id);
      expect({ id, status: job.status, error: job.error }).toEqual({ id, status: 'completed', error: null });
      expect(job.result.results).toHaveLength(1);
    }
    const after = await postJson(`${api.url}/jobs/submit/dinov3`, { images: [small] });
    expect((await waitForJob(api, after.body.job_id)).status).toBe('completed');
  });

  it('answers 503 rather than hanging when Redis is frozen with its connections open', async () => {
    redis.freeze();
    try {
      // Answered while Redis is still frozen: the API did not wait for it.
      const submitted = await postJson(`${api.url}/jobs/submit/dinov3`, { images: [small] });
      expect(submitted.status).toBe(503);
      expect(submitted.body.detail).toMatch(/Redis did not answer within 1000 ms/);
      expect((await postJson(`${api.url}/inference/dinov3`, { images: [small] })).status).toBe(200);
    } finally {
      redis.thaw();
    }
    await waitUntil(
      async () => (await postJson(`${api.url}/jobs/submit/dinov3`, { images: [small] })).status === 200,
      'job submissions after the thaw',
    );
  });
});
