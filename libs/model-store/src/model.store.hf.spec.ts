import { randomBytes } from 'node:crypto';
import { access, mkdtemp, readFile, readlink, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Until libs/testing's index re-exports the fake hub, import it from its folder.
import { FakeHub } from '../../testing/src/fake-hub/index.js';
import { ModelStore } from './model.store.js';
import type { ModelStoreOptions } from './model-store.options.js';
import { ModelAccessError, ModelFetchError, ModelNotFoundError, OfflineError } from './model-store.errors.js';

const REPO = 'org/depth';
const TOKEN = 'hf_test_token';
const WEIGHTS = randomBytes(6000);
const FILES = {
  'config.json': '{"model_type":"depth_anything"}',
  'preprocessor_config.json': '{"size":518}',
  'onnx/model.onnx': WEIGHTS,
  'onnx/model_fp16.onnx': randomBytes(3000),
  'onnx/model_quantized.onnx': randomBytes(2000),
  'README.md': '# depth',
};

/** A port nothing listens on any more, so connections are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('ModelStore with a hub repo', () => {
  let hub: FakeHub;
  let root: string;
  let commit: string;
  const store = (options: Partial<ModelStoreOptions> = {}) =>
    new ModelStore({ cacheDir: root, endpoint: hub.url, retryDelayMs: 5, ...options });
  const repoDir = () => join(root, 'hub', 'models--org--depth');

  beforeEach(async () => {
    hub = await FakeHub.start({ tokens: [TOKEN] });
    commit = hub.addRepo(REPO, { files: FILES });
    root = await mkdtemp(join(tmpdir(), 'focal-store-'));
  });

  afterEach(async () => {
    await hub.stop();
    await rm(root, { recursive: true, force: true });
  });

  describe('downloads', () => {
    it('fetches every file into the huggingface_hub cache layout', async () => {
      const model = await store().ensure(REPO);
      expect(model.dir).toBe(join(repoDir(), 'snapshots', commit));
      expect(model.files).toEqual([
        'README.md',
        'config.json',
        'onnx/model.onnx',
        'onnx/model_fp16.onnx',
        'onnx/model_quantized.onnx',
        'preprocessor_config.json',
      ]);
      expect(model.ref).toMatchObject({ source: 'hf', repo: REPO, revision: 'main' });
      expect(await readFile(join(model.dir, 'onnx/model.onnx'))).toEqual(WEIGHTS);
      expect(await readFile(join(repoDir(), 'refs', 'main'), 'utf8')).toBe(commit);
    });

    it('keeps contents in blobs named by sha256 (LFS) or git oid, linked from the snapshot', async () => {
      const model = await store().ensure(REPO, { files: ['onnx/model.onnx', 'config.json'] });
      const lfsBlob = hub.file(REPO, 'onnx/model.onnx').sha256;
      const gitBlob = hub.file(REPO, 'config.json').gitOid;
      expect(await readlink(join(model.dir, 'onnx', 'model.onnx'))).toBe(`../../../blobs/${lfsBlob}`);
      expect(await readlink(join(model.dir, 'config.json'))).toBe(`../../blobs/${gitBlob}`);
      expect(await readFile(join(repoDir(), 'blobs', gitBlob), 'utf8')).toBe(FILES['config.json']);
    });

    it('downloads identical files once, as one shared blob', async () => {
      hub.addRepo('org/twins', { files: { 'a/config.json': '{"same":true}', 'b/config.json': '{"same":true}' } });
      const model = await store().ensure('org/twins');
      expect(await readFile(join(model.dir, 'b', 'config.json'), 'utf8')).toBe('{"same":true}');
      expect(
        hub.fileDownloads('org/twins', 'a/config.json').length + hub.fileDownloads('org/twins', 'b/config.json').length,
      ).toBe(1);
    });

    it('fetches only the files the patterns select', async () => {
      const model = await store().ensure(REPO, { files: ['onnx/model.onnx', '*.json'] });
      expect(model.files).toEqual(['config.json', 'onnx/model.onnx', 'preprocessor_config.json']);
      expect(hub.fileDownloads(REPO, 'onnx/model_fp16.onnx')).toHaveLength(0);
      await expect(access(join(model.dir, 'onnx', 'model_fp16.onnx'))).rejects.toThrow();
    });

    it('serves a repeated ensure from the cache, checking only the revision', async () => {
      await store().ensure(REPO, { files: ['onnx/model.onnx'] });
      hub.clearRequests();
      const again = await store().ensure(REPO, { files: ['onnx/model.onnx'] });
      expect(again.files).toEqual(['onnx/model.onnx']);
      expect(hub.requests.map((r) => r.route)).toEqual(['revision', 'tree']);
    });

    it('reports progress up to each file size', async () => {
      const events: { file: string; received: number; total: number | undefined }[] = [];
      await store().ensure(REPO, { files: ['onnx/model.onnx'], onProgress: (event) => events.push(event) });
      expect(events.at(-1)).toEqual({ file: 'onnx/model.onnx', received: WEIGHTS.length, total: WEIGHTS.length });
      expect(events.every((event, i) => i === 0 || event.received >= events[i - 1]!.received)).toBe(true);
    });

    it('pages through long tree listings', async () => {
      await hub.stop();
      hub = await FakeHub.start({ treePageSize: 2 });
      commit = hub.addRepo(REPO, { files: FILES });
      const model = await store().ensure(REPO);
      expect(model.files).toHaveLength(6);
      expect(hub.requests.filter((r) => r.route === 'tree').length).toBeGreaterThan(2);
    });
  });

  describe('revisions', () => {
    it('pins branches to commits and records refs', async () => {
      const v1 = hub.commit(REPO, { 'config.json': '{"v":1}' }, 'v1');
      const model = await store().ensure(`${REPO}@v1`, { files: ['config.json'] });
      expect(model.dir).toBe(join(repoDir(), 'snapshots', v1));
      expect(await readFile(join(model.dir, 'config.json'), 'utf8')).toBe('{"v":1}');
      expect(await readFile(join(repoDir(), 'refs', 'v1'), 'utf8')).toBe(v1);
    });

    it('follows a moved branch to a new snapshot, reusing unchanged blobs', async () => {
      await store().ensure(REPO, { files: ['onnx/model.onnx', 'config.json'] });
      const next = hub.commit(REPO, { 'config.json': '{"v":2}' });
      const model = await store().ensure(REPO, { files: ['onnx/model.onnx', 'config.json'] });
      expect(model.dir).toBe(join(repoDir(), 'snapshots', next));
      expect(await readFile(join(repoDir(), 'refs', 'main'), 'utf8')).toBe(next);
      expect(await readFile(join(model.dir, 'onnx', 'model.onnx'))).toEqual(WEIGHTS);
      expect(hub.fileDownloads(REPO, 'onnx/model.onnx')).toHaveLength(1);
      expect(hub.fileDownloads(REPO, 'config.json')).toHaveLength(2);
    });

    it('accepts a commit sha without writing a ref for it', async () => {
      hub.commit(REPO, { 'config.json': '{"v":2}' });
      const model = await store().ensure(`hf://${REPO}@${commit}`, { files: ['config.json'] });
      expect(await readFile(join(model.dir, 'config.json'), 'utf8')).toBe(FILES['config.json']);
      await expect(access(join(repoDir(), 'refs', commit))).rejects.toThrow();
    });

    it('nests refs with slashes like huggingface_hub', async () => {
      const pr = hub.commit(REPO, { 'config.json': '{"pr":1}' }, 'refs/pr/1');
      await store().ensure(`hf://${REPO}@refs/pr/1`, { files: ['config.json'] });
      expect(await readFile(join(repoDir(), 'refs', 'refs', 'pr', '1'), 'utf8')).toBe(pr);
    });
  });

  describe('access and missing things', () => {
    beforeEach(() => {
      hub.addRepo('org/private', { files: { 'config.json': '{}', 'onnx/model.onnx': WEIGHTS }, private: true });
    });

    it('refuses a private repo without a token, with a hint about HF_TOKEN', async () => {
      const failure = store().ensure('org/private');
      await expect(failure).rejects.toBeInstanceOf(ModelAccessError);
      await expect(failure).rejects.toMatchObject({ status: 401, message: expect.stringContaining('HF_TOKEN') });
    });

    it('refuses a bad token and reads the repo with a good one', async () => {
      await expect(store({ token: 'hf_wrong' }).ensure('org/private')).rejects.toThrow(/HTTP 401.*HF_TOKEN is valid/);
      const model = await store({ token: TOKEN }).ensure('org/private');
      expect(model.files).toEqual(['config.json', 'onnx/model.onnx']);
    });

    it('maps 403 (gated repos) to ModelAccessError', async () => {
      hub.injectFault({ repo: REPO, api: 'revision' }, { kind: 'status', status: 403 });
      await expect(store().ensure(REPO)).rejects.toMatchObject({ name: 'ModelAccessError', status: 403 });
    });

    it('tells a missing repo, revision and file apart', async () => {
      await expect(store().ensure('org/none')).rejects.toThrow(
        new ModelNotFoundError('hf://org/none@main: repository not found (HTTP 404) (Repository not found)'),
      );
      await expect(store().ensure(`${REPO}@v9`)).rejects.toThrow(/revision not found/);
      await expect(store().ensure(REPO, { files: ['onnx/model_int8.onnx'] })).rejects.toThrow(
        /file not found: onnx\/model_int8\.onnx/,
      );
      await expect(store().ensure(REPO, { files: ['*.safetensors'] })).rejects.toThrow(
        /no file matches \*\.safetensors/,
      );
    });

    it('downloads LFS files through the CDN redirect without forwarding the token', async () => {
      const model = await store({ token: TOKEN }).ensure('org/private', { files: ['onnx/model.onnx'] });
      const cdn = hub.requests.filter((r) => r.route === 'cdn');
      expect(await readFile(join(model.dir, 'onnx', 'model.onnx'))).toEqual(WEIGHTS);
      expect(cdn).toHaveLength(1);
      expect(cdn[0]).toMatchObject({ host: `localhost:${hub.port}`, authorization: undefined, status: 200 });
      expect(hub.requests.filter((r) => r.route === 'resolve').map((r) => r.authorization)).toEqual([
        `Bearer ${TOKEN}`,
      ]);
    });
  });

  describe('offline and unreachable hub', () => {
    it('serves cached files offline without any request', async () => {
      await store().ensure(REPO, { files: ['onnx/model.onnx', '*.json'] });
      hub.clearRequests();
      const model = await store({ offline: true }).ensure(REPO, { files: ['onnx/model.onnx', '*.json'] });
      expect(model.files).toEqual(['config.json', 'onnx/model.onnx', 'preprocessor_config.json']);
      expect(model.dir).toBe(join(repoDir(), 'snapshots', commit));
      expect(hub.requests).toHaveLength(0);
    });

    it('names what is missing offline', async () => {
      await store().ensure(REPO, { files: ['config.json'] });
      hub.clearRequests();
      await expect(store({ offline: true }).ensure(REPO, { files: ['onnx/model.onnx'] })).rejects.toThrow(
        new OfflineError(
          `hf://${REPO}@main: offline mode is on (HF_HUB_OFFLINE), and snapshot ${join(repoDir(), 'snapshots', commit)} lacks onnx/model.onnx`,
        ),
      );
      await expect(store({ offline: true }).ensure('org/never-pulled')).rejects.toThrow(/cache has no ref "main"/);
      expect(hub.requests).toHaveLength(0);
    });

    it('falls back to the cache when the hub is unreachable, and fails clearly when nothing is cached', async () => {
      await store().ensure(REPO, { files: ['config.json'] });
      const unreachable = store({ endpoint: `http://127.0.0.1:${await closedPort()}`, maxRetries: 0 });
      const model = await unreachable.ensure(REPO, { files: ['config.json'] });
      expect(model.dir).toBe(join(repoDir(), 'snapshots', commit));
      await expect(unreachable.ensure('org/other')).rejects.toThrow(ModelFetchError);
      await expect(unreachable.ensure('org/other')).rejects.toThrow(/ECONNREFUSED/);
    });

    it('retries transient hub errors, then gives up with the status', async () => {
      hub.injectFault({ repo: REPO, api: 'tree' }, { kind: 'status', status: 503 }, 2);
      await expect(store().ensure(REPO, { files: ['config.json'] })).resolves.toMatchObject({ files: ['config.json'] });
      hub.injectFault({ repo: 'org/depth', api: 'revision' }, { kind: 'status', status: 502 }, 5);
      await rm(root, { recursive: true, force: true });
      await expect(store({ maxRetries: 1 }).ensure(REPO)).rejects.toMatchObject({
        name: 'ModelFetchError',
        status: 502,
      });
    });
  });
});
