import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeHub } from '../../testing/src/fake-hub/index.js';
import { ModelStore } from './model.store.js';

const REPO = 'org/depth';
const WEIGHTS = randomBytes(256 * 1024);

/**
 * Another process that follows the store's locking protocol: it takes the blob's lock, says
 * "locked", and on "go" writes the blob and releases the lock. On "crash" it dies holding the lock.
 */
const LOCK_HOLDER = `
import { lock } from 'proper-lockfile';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
const { LOCK_PATH, SOURCE, BLOB } = process.env;
await mkdir(dirname(LOCK_PATH), { recursive: true });
const release = await lock(LOCK_PATH, { realpath: false, lockfilePath: LOCK_PATH, stale: 2000 });
console.log('locked');
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'crash') process.kill(process.pid, 'SIGKILL');
  await mkdir(dirname(BLOB), { recursive: true });
  await copyFile(SOURCE, BLOB);
  await release();
  process.exit(0);
}
`;

describe('ModelStore under concurrent fetchers', () => {
  let hub: FakeHub;
  let root: string;
  let sha256: string;
  const store = () => new ModelStore({ cacheDir: root, endpoint: hub.url, lockStaleMs: 2000 });
  const repoDir = () => join(root, 'hub', 'models--org--depth');

  beforeEach(async () => {
    hub = await FakeHub.start();
    hub.addRepo(REPO, { files: { 'config.json': '{"a":1}', 'onnx/model.onnx': WEIGHTS } });
    sha256 = hub.file(REPO, 'onnx/model.onnx').sha256;
    root = await mkdtemp(join(tmpdir(), 'focal-concurrent-'));
  });

  afterEach(async () => {
    await hub.stop();
    await rm(root, { recursive: true, force: true });
  });

  async function startLockHolder(): Promise<ChildProcessWithoutNullStreams> {
    const source = join(root, 'weights.source');
    await writeFile(source, WEIGHTS);
    const env = {
      ...process.env,
      LOCK_PATH: join(root, 'hub', '.locks', 'models--org--depth', `${sha256}.focal-lock`),
      SOURCE: source,
      BLOB: join(repoDir(), 'blobs', sha256),
    };
    const child = spawn(process.execPath, ['--input-type=module', '-e', LOCK_HOLDER], { cwd: process.cwd(), env });
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    expect(line.toString().trim()).toBe('locked');
    return child;
  }

  it('downloads each file once for concurrent ensure calls in one process', async () => {
    const shared = store();
    const results = await Promise.all([shared.ensure(REPO), shared.ensure(REPO), store().ensure(REPO)]);
    expect(new Set(results.map((r) => r.dir)).size).toBe(1);
    expect(hub.fileDownloads(REPO, 'onnx/model.onnx')).toHaveLength(1);
    expect(hub.fileDownloads(REPO, 'config.json')).toHaveLength(1);
    expect(await readFile(join(results[0]!.dir, 'onnx', 'model.onnx'))).toEqual(WEIGHTS);
  });

  it('waits for another process that holds the lock and uses its download', async () => {
    const holder = await startLockHolder();
    let settled = false;
    const ensuring = store()
      .ensure(REPO)
      .finally(() => {
        settled = true;
      });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(settled).toBe(false);
    holder.stdin.write('go\n');
    await once(holder, 'exit');
    const model = await ensuring;
    expect(hub.fileDownloads(REPO, 'onnx/model.onnx')).toHaveLength(0);
    expect(hub.fileDownloads(REPO, 'config.json')).toHaveLength(1);
    expect(await readFile(join(model.dir, 'onnx', 'model.onnx'))).toEqual(WEIGHTS);
  });

  it('takes over the lock of a process that died holding it', async () => {
    const holder = await startLockHolder();
    holder.stdin.write('crash\n');
    await once(holder, 'exit');
    const started = Date.now();
    const model = await store().ensure(REPO);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(hub.fileDownloads(REPO, 'onnx/model.onnx')).toHaveLength(1);
    expect(await readFile(join(model.dir, 'onnx', 'model.onnx'))).toEqual(WEIGHTS);
  }, 15_000);
});
