import { FocalApi, startFocalApi } from '../support/focal-api.process.js';
import { getJson, makePixels, pngBase64, postJson } from '../support/test-images.js';
import { waitFor } from '../support/expectations.js';
import { metricsOf, modelState, sample } from './support/elastic-http.js';

describe('cold starts: headers, metrics and Prefer: wait admission (local runtime, demo models)', () => {
  let api: FocalApi;
  let image: string;

  beforeAll(async () => {
    api = await startFocalApi({ FOCAL_EXPECTED_LOAD_SECONDS: '7' });
    image = await pngBase64(makePixels(64, 48, () => [10, 200, 30]));
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('marks the request that waited for the load cold, with its load time, and the next one warm', async () => {
    const cold = await postJson(`${api.url}/inference/dinov3`, { images: [image] });
    expect(cold.status).toBe(200);
    expect(cold.headers.get('x-model-cold-start')).toBe('true');
    const loadTime = Number(cold.headers.get('x-model-load-time'));
    expect(loadTime).toBeGreaterThan(0);
    expect(cold.headers.get('preference-applied')).toBeNull();

    const warm = await postJson(`${api.url}/inference/dinov3`, { images: [image] });
    expect(warm.status).toBe(200);
    expect(warm.headers.get('x-model-cold-start')).toBe('false');
    expect(warm.headers.get('x-model-load-time')).toBeNull();

    const metrics = await metricsOf(api);
    const labels = { model: 'dinov3', device: 'cpu' };
    expect(sample(metrics, 'focal_model_cold_starts_total', labels)).toBe(1);
    expect(sample(metrics, 'focal_model_load_duration_seconds_count', labels)).toBe(1);
    expect(sample(metrics, 'focal_model_in_flight_requests', { model: 'dinov3' })).toBe(0);
  });

  it('answers Prefer: wait=0 on a cold model with 503 + Retry-After (the configured ETA) while the load completes', async () => {
    expect(await modelState(api, 'depth_anything')).toBe('unloaded');
    const deferred = await postJson(`${api.url}/inference/depth-anything`, { images: [image] }, { prefer: 'wait=0' });
    expect(deferred.status).toBe(503);
    expect(deferred.headers.get('retry-after')).toBe('7');
    expect(deferred.headers.get('preference-applied')).toBe('wait=0');
    expect(deferred.headers.get('x-model-cold-start')).toBe('true');
    expect(deferred.body.detail).toMatch(/depth_anything is loading \(cold start\).*7 s.*Prefer: wait=0/);

    // The 503 started the load; nothing else asks for it, and it still completes.
    await waitFor(async () => ((await modelState(api, 'depth_anything')) === 'ready' ? true : undefined));
    const later = await postJson(`${api.url}/inference/depth-anything`, { images: [image] }, { prefer: 'wait=0' });
    expect(later.status).toBe(200);
    expect(later.headers.get('x-model-cold-start')).toBe('false');
    expect(later.headers.get('preference-applied')).toBe('wait=0');
    const metrics = await metricsOf(api);
    expect(sample(metrics, 'focal_model_cold_start_deferrals_total', { model: 'depth_anything' })).toBe(1);
    // The deferred request never waited for the load, so it is not counted as a served cold start.
    expect(sample(metrics, 'focal_model_cold_starts_total', { model: 'depth_anything' })).toBeUndefined();
  });

  it('holds a cold request whose Prefer: wait covers the expected load', async () => {
    const held = await postJson(
      `${api.url}/inference/grounding-dino`,
      { images: [image], prompts: ['cat'] },
      {
        prefer: 'wait=60',
      },
    );
    expect(held.status).toBe(200);
    expect(held.headers.get('x-model-cold-start')).toBe('true');
    expect(held.headers.get('preference-applied')).toBe('wait=60');
  });

  it('once a load was measured, takes the ETA from its median instead of the configured default', async () => {
    const metrics = await metricsOf(api);
    const measured = sample(metrics, 'focal_model_load_duration_seconds_sum', { model: 'dinov3', device: 'cpu' })!;
    expect((await postJson(`${api.url}/models/unload`, { model_type: 'dinov3' })).status).toBe(200);
    const deferred = await postJson(`${api.url}/inference/dinov3`, { images: [image] }, { prefer: 'wait=0' });
    expect(deferred.status).toBe(503);
    const retryAfter = Number(deferred.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(Math.max(1, Math.ceil(measured)));
    await waitFor(async () => ((await modelState(api, 'dinov3')) === 'ready' ? true : undefined));
  });

  it('lets jobs wait for a cold model whatever their Prefer header says', async () => {
    expect((await postJson(`${api.url}/models/unload`, { model_type: 'dinov3' })).status).toBe(200);
    const submitted = await postJson(`${api.url}/jobs/submit/dinov3`, { images: [image] }, { prefer: 'wait=0' });
    expect(submitted.status).toBe(200);
    const job = await waitFor(async () => {
      const { body } = await getJson(`${api.url}/jobs/${submitted.body.job_id}`);
      return ['completed', 'failed'].includes(body.status) ? body : undefined;
    });
    expect(job.status).toBe('completed');
  });

  it('counts requests held for a load in flight, the gauge the autoscaler sums', async () => {
    const body = { images: [image], prompts: ['cat'] };
    const held = Array.from({ length: 3 }, () => postJson(`${api.url}/inference/sam3`, body));
    const seen = await waitFor(async () => {
      const count = sample(await metricsOf(api), 'focal_model_in_flight_requests', { model: 'sam3' });
      return count === 3 ? count : undefined;
    });
    expect(seen).toBe(3);
    const responses = await Promise.all(held);
    expect(responses.map((r) => [r.status, r.headers.get('x-model-cold-start')])).toEqual(Array(3).fill([200, 'true']));
    expect(sample(await metricsOf(api), 'focal_model_in_flight_requests', { model: 'sam3' })).toBe(0);
  });

  it('ignores a Prefer header without a usable wait', async () => {
    const response = await postJson(`${api.url}/inference/dinov3`, { images: [image] }, { prefer: 'wait=soon' });
    expect(response.status).toBe(200);
    expect(response.headers.get('preference-applied')).toBeNull();
  });
});
