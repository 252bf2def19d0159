import { readFileSync } from 'node:fs';
import { API_NODE_FLAGS, launchFocalApi, metricSum, type FocalApi } from '@focal/testing';
import { tempCacheDir, testRedisUrl } from '../support/focal-api.process.js';
import { getJson, makePixels, pngBase64, postJson, seededRandom } from '../support/test-images.js';

/**
 * The API's V8 new space, as the running process reports it on /metrics (prom-client's heap space gauges): capped
 * at two semi-spaces of `--max-semi-space-size` MB by API_NODE_FLAGS. A second API started with V8's defaults
 * takes the same traffic and grows past the cap, so the load is enough for the first assertion to fail if the
 * flag did not reach the process (README, Configuration: the API's Node flags).
 */
const CALLS = 80;
const SEMI_SPACE_MB = Number(
  API_NODE_FLAGS.map((flag) => /^--max-semi-space-size=(\d+)$/.exec(flag)?.[1]).find(Boolean),
);
const CAP_BYTES = 2 * SEMI_SPACE_MB * 1024 * 1024;

async function newSpaceAfterTraffic(api: FocalApi, image: string): Promise<number> {
  for (let i = 0; i < CALLS; i++) {
    expect((await postJson(`${api.url}/inference/dinov3`, { images: [image] })).status).toBe(200);
  }
  const metrics = await getJson(`${api.url}/metrics`);
  return metricSum(metrics.body as string, 'focal_nodejs_heap_space_size_total_bytes', { space: 'new' });
}

describe("the API's young generation", () => {
  const cache = tempCacheDir();
  const random = seededRandom(3);
  const byte = () => Math.floor(random() * 256);
  const pixels = makePixels(640, 480, () => [byte(), byte(), byte()]);
  let image = '';
  const apis: FocalApi[] = [];

  const start = async (nodeFlags?: readonly string[]) => {
    const api = await launchFocalApi({ redisUrl: testRedisUrl(), env: { HF_ROOT_FOLDER: cache }, nodeFlags });
    apis.push(api);
    return api;
  };

  beforeAll(async () => {
    image = await pngBase64(pixels);
  });
  afterAll(async () => {
    await Promise.all(apis.map((api) => api.stop()));
  });

  it('stays within 2 × the semi-space of API_NODE_FLAGS, which V8 left to its defaults outgrows', async () => {
    expect(SEMI_SPACE_MB).toBeGreaterThan(0);
    const api = await start();
    const cmdline = readFileSync(`/proc/${api.pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline).toEqual(expect.arrayContaining([...API_NODE_FLAGS]));
    const capped = await newSpaceAfterTraffic(api, image);
    expect(capped).toBeGreaterThan(0);
    expect(capped).toBeLessThanOrEqual(CAP_BYTES);

    const unflagged = await start([]);
    expect(await newSpaceAfterTraffic(unflagged, image)).toBeGreaterThan(CAP_BYTES);
  }, 120_000);
});
