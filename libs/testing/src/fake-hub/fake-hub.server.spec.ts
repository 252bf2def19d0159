import { createHash } from 'node:crypto';
import { FakeHub } from './fake-hub.server.js';
import { gitBlobOid } from './fake-file.js';

const REPO = 'org/model';

interface Entry {
  path: string;
  lfs?: unknown;
}

/** Test-side view of the hub's JSON answers. */
async function json<T = { sha: string; siblings: unknown[] }>(response: Response | Promise<Response>): Promise<T> {
  return (await (await response).json()) as T;
}
const WEIGHTS = Buffer.alloc(4096, 7);

describe('FakeHub', () => {
  let hub: FakeHub;
  let commit: string;

  beforeEach(async () => {
    hub = await FakeHub.start({ tokens: ['hf_good'] });
    commit = hub.addRepo(REPO, { files: { 'config.json': '{"a":1}', 'onnx/model.onnx': WEIGHTS } });
  });

  afterEach(() => hub.stop());

  describe('revision API', () => {
    it('answers the commit sha and the file list', async () => {
      const body = await json(fetch(`${hub.url}/api/models/${REPO}/revision/main`));
      expect(body.sha).toBe(commit);
      expect(body.siblings).toEqual([{ rfilename: 'config.json' }, { rfilename: 'onnx/model.onnx' }]);
    });

    it('serves a branch, a commit sha and a percent-encoded revision', async () => {
      const branchSha = hub.commit(REPO, { 'config.json': '{"a":2}' }, 'refs/pr/1');
      const byName = await json(fetch(`${hub.url}/api/models/${REPO}/revision/refs%2Fpr%2F1`));
      const bySha = await json(fetch(`${hub.url}/api/models/${REPO}/revision/${commit}`));
      expect(byName.sha).toBe(branchSha);
      expect(bySha.sha).toBe(commit);
      expect(branchSha).not.toBe(commit);
    });

    it('tells a missing repo from a missing revision', async () => {
      const noRepo = await fetch(`${hub.url}/api/models/org/none/revision/main`);
      const noRev = await fetch(`${hub.url}/api/models/${REPO}/revision/v9`);
      expect([noRepo.status, noRepo.headers.get('x-error-code')]).toEqual([404, 'RepoNotFound']);
      expect([noRev.status, noRev.headers.get('x-error-code')]).toEqual([404, 'RevisionNotFound']);
    });
  });

  describe('tree API', () => {
    it('lists files recursively with git oids and LFS sha256', async () => {
      const body = await json<Entry[]>(fetch(`${hub.url}/api/models/${REPO}/tree/main?recursive=true`));
      expect(body).toContainEqual({ type: 'directory', oid: expect.any(String), size: 0, path: 'onnx' });
      expect(body).toContainEqual({
        type: 'file',
        oid: gitBlobOid(Buffer.from('{"a":1}')),
        size: 7,
        path: 'config.json',
      });
      const weights = body.find((entry) => entry.path === 'onnx/model.onnx');
      expect(weights?.lfs).toEqual({
        oid: createHash('sha256').update(WEIGHTS).digest('hex'),
        size: 4096,
        pointerSize: 134,
      });
    });

    it('lists only the top level without recursive', async () => {
      const body = await json<Entry[]>(fetch(`${hub.url}/api/models/${REPO}/tree/main`));
      expect(body.map((entry) => entry.path)).toEqual(['onnx', 'config.json']);
    });

    it('pages long listings with a Link header', async () => {
      await hub.stop();
      hub = await FakeHub.start({ treePageSize: 2 });
      hub.addRepo(REPO, { files: { a: '1', b: '2', c: '3' } });
      const first = await fetch(`${hub.url}/api/models/${REPO}/tree/main?recursive=true`);
      const next = /<([^>]+)>;\s*rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
      const second = await json<Entry[]>(fetch(next!));
      expect(await json<Entry[]>(first)).toHaveLength(2);
      expect(second.map((entry) => entry.path)).toEqual(['c']);
    });
  });

  describe('resolve', () => {
    it('serves small files directly with their commit', async () => {
      const response = await fetch(`${hub.url}/${REPO}/resolve/main/config.json`);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-repo-commit')).toBe(commit);
      expect(await response.text()).toBe('{"a":1}');
    });

    it('answers ranges with 206 and out-of-range requests with 416', async () => {
      const partial = await fetch(`${hub.url}/${REPO}/resolve/main/config.json`, { headers: { Range: 'bytes=2-' } });
      const beyond = await fetch(`${hub.url}/${REPO}/resolve/main/config.json`, { headers: { Range: 'bytes=7-' } });
      expect(partial.status).toBe(206);
      expect(partial.headers.get('content-range')).toBe('bytes 2-6/7');
      expect(await partial.text()).toBe('a":1}');
      expect(beyond.status).toBe(416);
    });

    it('redirects LFS files to the CDN host, which refuses forwarded credentials', async () => {
      const redirect = await fetch(`${hub.url}/${REPO}/resolve/main/onnx/model.onnx`, { redirect: 'manual' });
      const location = new URL(redirect.headers.get('location')!);
      const withAuth = await fetch(location, { headers: { Authorization: 'Bearer hf_good' } });
      const clean = await fetch(location);
      expect(redirect.status).toBe(302);
      expect(location.hostname).toBe('localhost');
      expect(withAuth.status).toBe(400);
      expect(Buffer.from(await clean.arrayBuffer())).toEqual(WEIGHTS);
    });

    it('gates private repos behind a known token', async () => {
      hub.addRepo('org/secret', { files: { 'config.json': '{}' }, private: true });
      const anonymous = await fetch(`${hub.url}/org/secret/resolve/main/config.json`);
      const wrong = await fetch(`${hub.url}/org/secret/resolve/main/config.json`, {
        headers: { Authorization: 'Bearer nope' },
      });
      const good = await fetch(`${hub.url}/org/secret/resolve/main/config.json`, {
        headers: { Authorization: 'Bearer hf_good' },
      });
      expect([anonymous.status, wrong.status, good.status]).toEqual([401, 401, 200]);
    });

    it('answers 404 EntryNotFound for a missing file', async () => {
      const response = await fetch(`${hub.url}/${REPO}/resolve/main/missing.bin`);
      expect([response.status, response.headers.get('x-error-code')]).toEqual([404, 'EntryNotFound']);
    });
  });

  describe('faults and request log', () => {
    it('cuts a transfer after some bytes, once', async () => {
      hub.injectFault({ repo: REPO, file: 'onnx/model.onnx' }, { kind: 'cut', afterBytes: 1000 });
      const cut = await fetch(`${hub.url}/${REPO}/resolve/main/onnx/model.onnx`);
      await expect(cut.arrayBuffer()).rejects.toThrow();
      const whole = await fetch(`${hub.url}/${REPO}/resolve/main/onnx/model.onnx`);
      expect((await whole.arrayBuffer()).byteLength).toBe(4096);
    });

    it('slows a transfer down without changing it', async () => {
      hub.injectFault({ repo: REPO, file: 'onnx/model.onnx' }, { kind: 'slow', chunkBytes: 1024, delayMs: 40 });
      const started = Date.now();
      const body = Buffer.from(await (await fetch(`${hub.url}/${REPO}/resolve/main/onnx/model.onnx`)).arrayBuffer());
      expect(body).toEqual(WEIGHTS);
      expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    });

    it('corrupts content while the tree keeps the true hash', async () => {
      hub.injectFault({ repo: REPO, file: 'config.json' }, { kind: 'corrupt' });
      const body = Buffer.from(await (await fetch(`${hub.url}/${REPO}/resolve/main/config.json`)).arrayBuffer());
      expect(body).not.toEqual(Buffer.from('{"a":1}'));
      expect(body.length).toBe(7);
    });

    it('injects statuses into API calls', async () => {
      hub.injectFault({ repo: REPO, api: 'tree' }, { kind: 'status', status: 503 }, 2);
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${hub.url}/api/models/${REPO}/tree/main`)).status);
      expect(statuses).toEqual([503, 503, 200]);
    });

    it('counts byte transfers per file, through redirects and ranges', async () => {
      await (await fetch(`${hub.url}/${REPO}/resolve/main/onnx/model.onnx`)).arrayBuffer();
      await (
        await fetch(`${hub.url}/${REPO}/resolve/main/config.json`, { headers: { Range: 'bytes=1-' } })
      ).arrayBuffer();
      await (await fetch(`${hub.url}/api/models/${REPO}/revision/main`)).arrayBuffer();
      expect(hub.fileDownloads(REPO, 'onnx/model.onnx').map((entry) => entry.route)).toEqual(['cdn']);
      expect(hub.fileDownloads(REPO, 'config.json').map((entry) => entry.range)).toEqual(['bytes=1-']);
      expect(hub.requests).toHaveLength(4);
    });
  });
});
