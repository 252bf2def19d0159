import { buildDinov3DemoGraph, buildDepthDemoGraph } from '@focal/demo-models';
import { FakeHub } from '@focal/testing';
import { startFocalApi } from '../support/focal-api.process.js';
import { getJson, makePixels, pngBase64, postJson } from '../support/test-images.js';

/**
 * `model_id` in /models/load goes through the model store: real workers fetch from a local server
 * with the hub's URL layout into HF_ROOT_FOLDER, laid out like the public ONNX exports (no focal-model.json).
 */
describe('loading models from a hub', () => {
  let hub: FakeHub;

  beforeAll(async () => {
    hub = await FakeHub.start({ tokens: ['hf_secret_token'] });
    hub.addRepo('acme/dinov3-small-ONNX', {
      files: {
        'config.json': JSON.stringify({ model_type: 'dinov3_vit' }),
        'onnx/model.onnx': Buffer.from(buildDinov3DemoGraph()),
        'onnx/model_quantized.onnx': Buffer.alloc(4096, 7),
      },
    });
    hub.addRepo('acme/private-depth', {
      private: true,
      files: { 'onnx/model.onnx': Buffer.from(buildDepthDemoGraph()) },
    });
  });

  afterAll(async () => {
    await hub?.stop();
  });

  it('fetches only the files the manifest names, serves them, and labels them as real models', async () => {
    const api = await startFocalApi({ HF_ENDPOINT: hub.url });
    try {
      const load = await postJson(`${api.url}/models/load`, {
        model_type: 'dinov3',
        model_id: 'acme/dinov3-small-ONNX',
      });
      expect(load.status).toBe(200);
      expect(load.body).toMatchObject({ state: 'ready', model_id: 'acme/dinov3-small-ONNX', demo: false });
      expect(hub.fileDownloads('acme/dinov3-small-ONNX', 'onnx/model.onnx')).toHaveLength(1);
      expect(hub.fileDownloads('acme/dinov3-small-ONNX', 'onnx/model_quantized.onnx')).toHaveLength(0);
      const image = await pngBase64(makePixels(32, 32, () => [10, 20, 30]));
      const response = await postJson(`${api.url}/inference/dinov3`, { images: [image] });
      expect(response.status).toBe(200);
      expect(response.body.model_id).toBe('acme/dinov3-small-ONNX');
      expect(response.body.features.pooler_output[0]).toHaveLength(32);
    } finally {
      await api.stop();
    }
  });

  it('answers 404 for a missing repo and 403 for a private one without a token, then loads it with HF_TOKEN', async () => {
    const anonymous = await startFocalApi({ HF_ENDPOINT: hub.url });
    try {
      const missing = await postJson(`${anonymous.url}/models/load`, { model_type: 'dinov3', model_id: 'acme/nope' });
      expect(missing.status).toBe(404);
      expect(missing.body.detail).toMatch(/acme\/nope/);
      const denied = await postJson(`${anonymous.url}/models/load`, {
        model_type: 'depth_anything',
        model_id: 'acme/private-depth',
      });
      expect(denied.status).toBe(403);
      const status = (await getJson(`${anonymous.url}/models/status`)).body.depth_anything;
      expect(status).toMatchObject({ state: 'failed', model_id: 'acme/private-depth' });
    } finally {
      await anonymous.stop();
    }
    const authorised = await startFocalApi({ HF_ENDPOINT: hub.url, HF_TOKEN: 'hf_secret_token' });
    try {
      const load = await postJson(`${authorised.url}/models/load`, {
        model_type: 'depth-anything',
        model_id: 'acme/private-depth',
      });
      expect(load.status).toBe(200);
      expect(load.body.state).toBe('ready');
    } finally {
      await authorised.stop();
    }
  });
});

describe('model manifests', () => {
  it('refuses at load time a graph whose tensors do not match the manifest, naming the tensor', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'focal-mismatch-'));
    mkdirSync(join(dir, 'onnx'));
    writeFileSync(join(dir, 'onnx', 'model.onnx'), buildDinov3DemoGraph());
    writeFileSync(
      join(dir, 'focal-model.json'),
      JSON.stringify({
        family: 'dinov3',
        graphs: {
          model: {
            file: 'onnx/model.onnx',
            inputs: { pixel_values: 'images' },
            outputs: { last_hidden_state: 'last_hidden_state' },
          },
        },
      }),
    );
    const api = await startFocalApi({});
    try {
      const load = await postJson(`${api.url}/models/load`, { model_type: 'dinov3', model_id: dir });
      expect(load.status).toBe(400);
      expect(load.body.detail).toMatch(
        /graph "model" has no input "images" \(role pixel_values\); it has: pixel_values/,
      );
      const status = (await getJson(`${api.url}/models/status`)).body.dinov3;
      expect(status.state).toBe('failed');
      expect(status.error).toMatch(/images/);
    } finally {
      await api.stop();
    }
  });
});
