import { createHash, randomBytes } from 'node:crypto';
import { access, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeHub } from '../../testing/src/fake-hub/index.js';
import { ModelStore } from './model.store.js';
import type { ModelStoreOptions } from './model-store.options.js';
import { IntegrityError, InvalidModelIdError, ModelNotFoundError, OfflineError } from './model-store.errors.js';

const WEIGHTS = randomBytes(8000);
const WEIGHTS_SHA256 = createHash('sha256').update(WEIGHTS).digest('hex');
const CONFIG = '{"model_type":"grounding-dino"}';

/** A folder manifest as a server would publish it next to the files. */
function manifest(weightsSha256: string): string {
  return JSON.stringify({
    files: [
      { path: 'onnx/model.onnx', size: WEIGHTS.length, sha256: weightsSha256 },
      { path: 'config.json', size: CONFIG.length },
      { path: 'vocab.txt' },
    ],
  });
}

/**
 * Plain URLs are served by the fake hub's `resolve` route: a single-file URL there is what users
 * paste from the hub's web page, and it redirects LFS files to another host like a real CDN would.
 */
describe('ModelStore with plain http(s) URLs', () => {
  let hub: FakeHub;
  let root: string;
  const store = (options: Partial<ModelStoreOptions> = {}) =>
    new ModelStore({
      cacheDir: root,
      endpoint: 'https://hub.invalid',
      token: 'hf_secret',
      retryDelayMs: 5,
      ...options,
    });
  const fileUrl = (path: string) => `${hub.url}/org/files/resolve/main/${path}`;

  beforeEach(async () => {
    hub = await FakeHub.start();
    hub.addRepo('org/files', {
      files: {
        'onnx/model.onnx': WEIGHTS,
        'config.json': CONFIG,
        'vocab.txt': '[PAD]\n[UNK]\n',
        'focal-files.json': manifest(WEIGHTS_SHA256),
        'bad/focal-files.json': manifest('0'.repeat(64)),
        'bad/onnx/model.onnx': WEIGHTS,
      },
    });
    root = await mkdtemp(join(tmpdir(), 'focal-https-'));
  });

  afterEach(async () => {
    await hub.stop();
    await rm(root, { recursive: true, force: true });
  });

  describe('single files', () => {
    it('downloads once into the URL cache, following redirects, without the hub token', async () => {
      const model = await store().ensure(fileUrl('onnx/model.onnx'));
      const again = await store().ensure(fileUrl('onnx/model.onnx'));
      expect(model.dir).toMatch(new RegExp(`^${root}/focal-urls/127\\.0\\.0\\.1_${hub.port}--[0-9a-f]{16}$`));
      expect(model.files).toEqual(['model.onnx']);
      expect(again.dir).toBe(model.dir);
      expect(await readFile(join(model.dir, 'model.onnx'))).toEqual(WEIGHTS);
      expect(hub.fileDownloads('org/files', 'onnx/model.onnx')).toHaveLength(1);
      expect(hub.requests.every((r) => r.authorization === undefined)).toBe(true);
    });

    it('checks a #sha256 pin and keeps nothing when it differs', async () => {
      await expect(store().ensure(`${fileUrl('onnx/model.onnx')}#sha256=${WEIGHTS_SHA256}`)).resolves.toMatchObject({
        files: ['model.onnx'],
      });
      const wrong = `${fileUrl('config.json')}#sha256=${'0'.repeat(64)}`;
      await expect(store().ensure(wrong)).rejects.toBeInstanceOf(IntegrityError);
      const cached = await readdir(join(root, 'focal-urls'), { recursive: true });
      expect(cached.filter((name) => name.includes('config.json'))).toEqual([]);
    });

    it('refuses URLs that cannot name a file, before any request', async () => {
      await expect(store().ensure(`${hub.url}/files/bad%E0%A4%A`)).rejects.toBeInstanceOf(InvalidModelIdError);
      await expect(store().ensure(`${hub.url}/files/a%2Fb.onnx`)).rejects.toBeInstanceOf(InvalidModelIdError);
      expect(hub.requests).toHaveLength(0);
    });

    it('reports a missing file as ModelNotFoundError', async () => {
      await expect(store().ensure(fileUrl('onnx/model_int8.onnx'))).rejects.toBeInstanceOf(ModelNotFoundError);
    });

    it('serves the cached file offline and refuses an uncached one', async () => {
      await store().ensure(fileUrl('config.json'));
      hub.clearRequests();
      await expect(store({ offline: true }).ensure(fileUrl('config.json'))).resolves.toMatchObject({
        files: ['config.json'],
      });
      await expect(store({ offline: true }).ensure(fileUrl('vocab.txt'))).rejects.toBeInstanceOf(OfflineError);
      expect(hub.requests).toHaveLength(0);
    });
  });

  describe('folders with focal-files.json', () => {
    it('downloads the selected manifest entries, checking sizes and hashes', async () => {
      const model = await store().ensure(fileUrl(''), { files: ['onnx/model.onnx', '*.json'] });
      expect(model.files).toEqual(['config.json', 'onnx/model.onnx']);
      expect(await readFile(join(model.dir, 'onnx', 'model.onnx'))).toEqual(WEIGHTS);
      expect(hub.fileDownloads('org/files', 'vocab.txt')).toHaveLength(0);
    });

    it('re-reads the manifest but downloads only what is not cached yet', async () => {
      await store().ensure(fileUrl(''), { files: ['config.json'] });
      const model = await store().ensure(fileUrl(''));
      expect(model.files).toEqual(['config.json', 'onnx/model.onnx', 'vocab.txt']);
      expect(hub.fileDownloads('org/files', 'config.json')).toHaveLength(1);
      expect(hub.fileDownloads('org/files', 'focal-files.json')).toHaveLength(2);
    });

    it('refuses a file whose hash differs from the manifest', async () => {
      await expect(store().ensure(fileUrl('bad/'))).rejects.toThrow(/onnx\/model\.onnx: expected sha256 0{64}/);
    });

    it('works offline from what was downloaded before', async () => {
      await store().ensure(fileUrl(''), { files: ['config.json'] });
      await expect(store({ offline: true }).ensure(fileUrl(''), { files: ['config.json'] })).resolves.toMatchObject({
        files: ['config.json'],
      });
      await expect(store({ offline: true }).ensure(fileUrl(''), { files: ['vocab.txt'] })).rejects.toThrow(
        /lacks vocab\.txt/,
      );
      await expect(access(join(root, 'hub'))).rejects.toThrow();
    });
  });
});
