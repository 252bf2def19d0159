import { type FocalApi } from '@focal/testing';
import { startFocalApi, tempCacheDir } from '../support/focal-api.process.js';
import { getJson, makePixels, pngBase64, postJson } from '../support/test-images.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function jobStatus(api: FocalApi, id: string) {
  return (await getJson(`${api.url}/jobs/${id}`)).body as { status: string; error: string | null; result: any };
}

describe('the API killed with SIGKILL under job load', () => {
  it('completes every job it accepted, once a new API process starts on the same queue', async () => {
    const env = {
      HF_ROOT_FOLDER: tempCacheDir(),
      FOCAL_QUEUE_PREFIX: `focal-crash-${process.pid}-${Date.now()}`,
      FOCAL_JOB_CONCURRENCY: '2',
      FOCAL_JOB_LOCK_MS: '1500',
    };
    const first = await startFocalApi(env);
    const image = await pngBase64(makePixels(1200, 900, (x, y) => [x % 256, y % 256, (x + 2 * y) % 256]));
    const accepted: string[] = [];
    // Submitters keep going until the kill: whatever got a 200 was accepted and must complete.
    let stop = false;
    const submitter = async (route: string) => {
      while (!stop) {
        try {
          const submitted = await postJson(`${first.url}/jobs/submit/${route}`, { images: [image] });
          if (submitted.status === 200) accepted.push(submitted.body.job_id);
        } catch {
          return; // the API died under this request: it was never accepted
        }
        await sleep(20);
      }
    };
    const submitters = [submitter('depth-anything'), submitter('dinov3'), submitter('depth-anything')];
    const deadline = Date.now() + 60_000;
    let running = false;
    while (!running || accepted.length < 12) {
      if (Date.now() > deadline) throw new Error(`jobs did not start:\n${first.logs().slice(-3000)}`);
      await sleep(100);
      running = accepted.length > 0 && (await jobStatus(first, accepted[0])).status !== 'queued';
    }
    const statuses = await Promise.all(accepted.map(async (id) => (await jobStatus(first, id)).status));
    // The kill lands with work in every state: some done, some running, most still queued.
    expect(statuses).toContain('queued');
    await first.kill();
    stop = true;
    await Promise.all(submitters);

    const second = await startFocalApi(env);
    try {
      const pending = new Set(accepted);
      const finished = new Map<string, { status: string; error: string | null }>();
      const until = Date.now() + 180_000;
      while (pending.size > 0 && Date.now() < until) {
        for (const id of [...pending]) {
          const job = await jobStatus(second, id);
          if (['completed', 'failed', 'cancelled'].includes(job.status)) {
            finished.set(id, { status: job.status, error: job.error });
            pending.delete(id);
          }
        }
        await sleep(250);
      }
      expect([...pending]).toEqual([]);
      const notCompleted = [...finished].filter(([, job]) => job.status !== 'completed');
      expect(notCompleted).toEqual([]);
      expect(finished.size).toBe(accepted.length);
    } finally {
      await second.stop();
    }
  });
});
