import { FocalApi, startFocalApi } from '../support/focal-api.process.js';
import { makePixels, pngBase64, postJson } from '../support/test-images.js';
import { waitFor } from '../support/expectations.js';
import { metricsOf, modelState, sample } from './support/elastic-http.js';

describe('idle scale-to-zero (local runtime)', () => {
  let api: FocalApi;
  let image: string;

  beforeAll(async () => {
    api = await startFocalApi({
      FOCAL_IDLE_UNLOAD_SECONDS: '1',
      FOCAL_EVICTION_PROTECTION_SECONDS: '0',
      FOCAL_PRELOAD: 'dinov3',
    });
    image = await pngBase64(makePixels(32, 32, () => [1, 2, 3]));
    await waitFor(async () => ((await modelState(api, 'dinov3')) === 'ready' ? true : undefined));
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('unloads an idle model, keeps the pinned preloaded one, and loads it again on the next request', async () => {
    const first = await postJson(`${api.url}/inference/depth-anything`, { images: [image] });
    expect(first.status).toBe(200);
    const seen: string[] = [];
    await waitFor(async () => {
      const state = await modelState(api, 'depth_anything');
      if (seen.at(-1) !== state) seen.push(state);
      return state === 'unloaded' ? true : undefined;
    });
    expect(seen).toEqual(['ready', 'unloaded']);
    // dinov3 was ready (and idle) longer than depth_anything: only its pin kept it.
    expect(await modelState(api, 'dinov3')).toBe('ready');
    // The counter moves once the unload has finished, a moment after the status already says unloaded.
    const metrics = await waitFor(async () => {
      const text = await metricsOf(api);
      return sample(text, 'focal_model_idle_unloads_total', { model: 'depth_anything' }) === 1 ? text : undefined;
    });
    expect(sample(metrics, 'focal_model_idle_unloads_total', { model: 'dinov3' })).toBeUndefined();

    const again = await postJson(`${api.url}/inference/depth-anything`, { images: [image] });
    expect(again.status).toBe(200);
    expect(again.headers.get('x-model-cold-start')).toBe('true');
  });
});
