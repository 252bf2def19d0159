import { createHash, randomBytes } from 'node:crypto';
import { access, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeHub } from '../../testing/src/fake-hub/index.js';
import { ModelStore } from './model.store.js';
import type { ModelStoreOptions } from './model-store.options.js';
import { IntegrityError, ModelFetchError } from './model-store.errors.js';

const REPO = 'org/dinov3';
const WEIGHTS = randomBytes(64 * 1024);
const WEIGHTS_SHA256 = createHash('sha256').update(WEIGHTS).digest('hex');
const FILES = { 'config.json': '{"model_type":"dinov3","hidden_size":384}', 'onnx/model.onnx': WEIGHTS };

describe('ModelStore downloads: resume, integrity, timeouts', () => {
  let hub: FakeHub;
  let root: string;
  let commit: string;
  const store = (options: Partial<ModelStoreOptions> = {}) =>
    new ModelStore({ cacheDir: root, endpoint: hub.url, retryDelayMs: 5, ...options });
  const blobs = () => join(root, 'hub', 'models--org--dinov3', 'blobs');
  const snapshotFile = (file: string) => join(root, 'hub', 'models--org--dinov3', 'snapshots', commit, file);

  beforeEach(async () => {
    hub = await FakeHub.start();
    commit = hub.addRepo(REPO, { files: FILES });
    root = await mkdtemp(join(tmpdir(), 'focal-resume-'));
  });

  afterEach(async () => {
    await hub.stop();
    await rm(root, { recursive: true, force: true });
  });

  describe('cut-off transfers', () => {
    it('keeps the partial file and resumes it with a Range request on the next ensure', async () => {
      hub.injectFault({ repo: REPO, file: 'onnx/model.onnx' }, { kind: 'cut', afterBytes: 20_000 });
      await expect(store({ maxRetries: 0 }).ensure(REPO)).rejects.toBeInstanceOf(ModelFetchError);
      const partial = await stat(join(blobs(), `${WEIGHTS_SHA256}.incomplete`));
      await expect(access(snapshotFile('onnx/model.onnx'))).rejects.toThrow();

      const model = await store({ maxRetries: 0 }).ensure(REPO);
      const transfers = hub.fileDownloads(REPO, 'onnx/model.onnx');
      expect(partial.size).toBe(20_000);
      expect(transfers.map((t) => [t.range, t.status])).toEqual([
        [undefined, 200],
        [`bytes=${partial.size}-`, 206],
      ]);
      const bytes = await readFile(join(model.dir, 'onnx', 'model.onnx'));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(WEIGHTS_SHA256);
    });

    it('resumes within one ensure when retries are allowed', async () => {
      hub.injectFault({ repo: REPO, file: 'onnx/model.onnx' }, { kind: 'cut', afterBytes: 30_000 });
      const received: number[] = [];
      const model = await store().ensure(REPO, {
        onProgress: (e) => e.file === 'onnx/model.onnx' && received.push(e.received),
      });
      const transfers = hub.fileDownloads(REPO, 'onnx/model.onnx');
      expect(transfers).toHaveLength(2);
      expect(transfers[1]?.range).toBe('bytes=30000-');
      expect(received.at(-1)).toBe(WEIGHTS.length);
      expect(await readFile(join(model.dir, 'onnx', 'model.onnx'))).toEqual(WEIGHTS);
    });

    it('resumes files served directly by the hub (no CDN) too', async () => {
      await hub.stop();
      hub = await FakeHub.start({ redirectLfs: false });
      commit = hub.addRepo(REPO, { files: FILES });
      hub.injectFault({ repo: REPO, file: 'onnx/model.onnx' }, { kind: 'cut', afterBytes: 10_000 });
      await store().ensure(REPO);
      const transfers = hub.fileDownloads(REPO, 'onnx/model.onnx');
      expect(transfers.map((t) => t.route)).toEqual(['resolve', 'resolve']);
      expect(transfers.map((t) => [t.range, t.status])).toEqual([
        [undefined, 200],
        ['bytes=10000-', 206],
      ]);
      expect(await readFile(snapshotFile('onnx/model.onnx'))).toEqual(WEIGHTS);
    });
  });

  describe('integrity', () => {
    it('refuses LFS content whose sha256 differs and leaves nothing behind', async () => {
      hub.injectFault({ repo: REPO, file: 'onnx/model.onnx' }, { kind: 'corrupt' });
      const failure = store().ensure(REPO);
      await expect(failure).rejects.toBeInstanceOf(IntegrityError);
      await expect(failure).rejects.toThrow(`onnx/model.onnx: expected sha256 ${WEIGHTS_SHA256}`);
      await expect(access(snapshotFile('onnx/model.onnx'))).rejects.toThrow();
      await expect(access(join(blobs(), WEIGHTS_SHA256))).rejects.toThrow();
      await expect(access(join(blobs(), `${WEIGHTS_SHA256}.incomplete`))).rejects.toThrow();
    });

    it('refuses git-stored content whose blob oid differs, then succeeds once the source is fixed', async () => {
      hub.injectFault({ repo: REPO, file: 'config.json' }, { kind: 'corrupt' });
      await expect(store().ensure(REPO, { files: ['config.json'] })).rejects.toThrow(/config\.json: expected git blob/);
      await expect(access(snapshotFile('config.json'))).rejects.toThrow();
      const model = await store().ensure(REPO, { files: ['config.json'] });
      expect(await readFile(join(model.dir, 'config.json'), 'utf8')).toBe(FILES['config.json']);
    });
  });

  describe('stalls and aborts', () => {
    it('fails a stalled transfer after the idle timeout, keeping what arrived', async () => {
      hub.injectFault({ repo: REPO, file: 'onnx/model.onnx' }, { kind: 'stall', afterBytes: 5000 });
      const started = Date.now();
      await expect(store({ timeoutMs: 300, maxRetries: 0 }).ensure(REPO)).rejects.toThrow(
        /onnx\/model\.onnx: no data for 300 ms/,
      );
      expect(Date.now() - started).toBeLessThan(5000);
      expect((await stat(join(blobs(), `${WEIGHTS_SHA256}.incomplete`))).size).toBeGreaterThan(0);
    });

    it('stops on abort with the abort reason and keeps the partial file for later', async () => {
      hub.injectFault({ repo: REPO, file: 'onnx/model.onnx' }, { kind: 'stall', afterBytes: 5000 });
      const controller = new AbortController();
      const failure = store().ensure(REPO, {
        signal: controller.signal,
        onProgress: (e) => e.received > 0 && e.file === 'onnx/model.onnx' && controller.abort(),
      });
      await expect(failure).rejects.toMatchObject({ name: 'AbortError' });
      expect((await stat(join(blobs(), `${WEIGHTS_SHA256}.incomplete`))).size).toBeGreaterThan(0);
      const model = await store().ensure(REPO);
      expect(await readFile(join(model.dir, 'onnx', 'model.onnx'))).toEqual(WEIGHTS);
      expect(hub.fileDownloads(REPO, 'onnx/model.onnx').at(-1)?.range).toMatch(/^bytes=[1-9]\d*-$/);
    });

    it('refuses to start when already aborted', async () => {
      await expect(store().ensure(REPO, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
      expect(hub.requests).toHaveLength(0);
    });
  });
});
