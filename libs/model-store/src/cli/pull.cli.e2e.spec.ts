import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { FakeHub } from '../../../testing/src/fake-hub/index.js';

const SOURCE_DIR = fileURLToPath(new URL('..', import.meta.url));
const DEPTH_REPO = 'onnx-community/depth-anything-v2-small';
const WEIGHTS = randomBytes(512 * 1024);

/**
 * Compiles the model store's sources (not the specs) into a scratch folder, so the CLI runs as a real
 * process without depending on `npm run build` of the whole monorepo, which other folders may break.
 * Only syntax is transformed; `tsc -p tsconfig.json --noEmit` checks the types.
 */
async function compileCli(outDir: string): Promise<string> {
  const files = (await readdir(SOURCE_DIR, { recursive: true })).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'),
  );
  for (const file of files) {
    const { outputText } = ts.transpileModule(await readFile(join(SOURCE_DIR, file), 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, useDefineForClassFields: false },
    });
    const target = join(outDir, file.replace(/\.ts$/, '.js'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
  await writeFile(join(outDir, 'package.json'), '{"type":"module"}');
  await symlink(join(process.cwd(), 'node_modules'), join(outDir, 'node_modules'));
  return join(outDir, 'cli', 'pull.cli.js');
}

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('focal models pull (separate processes)', () => {
  let buildDir: string;
  let cli: string;
  let hub: FakeHub;
  let root: string;

  const start = (...argv: string[]) => {
    const env = { PATH: process.env.PATH, HF_ROOT_FOLDER: root, HF_ENDPOINT: hub.url };
    const child = spawn(process.execPath, [cli, ...argv], { env });
    const result: CliRun = { code: null, stdout: '', stderr: '' };
    child.stdout.on('data', (chunk: Buffer) => (result.stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (result.stderr += chunk.toString()));
    const done = once(child, 'exit').then(([code]) => ({ ...result, code: code as number | null }));
    return { child, done };
  };

  beforeAll(async () => {
    buildDir = await mkdtemp(join(tmpdir(), 'focal-cli-build-'));
    cli = await compileCli(buildDir);
  });

  afterAll(() => rm(buildDir, { recursive: true, force: true }));

  beforeEach(async () => {
    hub = await FakeHub.start();
    hub.addRepo(DEPTH_REPO, {
      files: {
        'config.json': '{}',
        'preprocessor_config.json': '{"size":518}',
        'onnx/model.onnx': WEIGHTS,
        'onnx/model_q4.onnx': randomBytes(2000),
      },
    });
    root = await mkdtemp(join(tmpdir(), 'focal-cli-e2e-'));
  });

  afterEach(async () => {
    await hub.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('pulls the default depth model into HF_ROOT_FOLDER and prints the folder', async () => {
    const run = await start('models', 'pull', 'depth-anything').done;
    expect(run.code).toBe(0);
    const dir = run.stdout.trim();
    expect(dir).toBe(
      join(root, 'hub', 'models--onnx-community--depth-anything-v2-small', 'snapshots', hub.sha(DEPTH_REPO)),
    );
    expect(await readFile(join(dir, 'onnx', 'model.onnx'))).toEqual(WEIGHTS);
    expect(hub.fileDownloads(DEPTH_REPO, 'onnx/model_q4.onnx')).toHaveLength(0);
    expect(run.stderr).toContain('3 files (3 downloaded)');
  }, 30_000);

  it('downloads once when two processes pull the same model at the same time', async () => {
    hub.injectFault(
      { repo: DEPTH_REPO, file: 'onnx/model.onnx' },
      { kind: 'slow', chunkBytes: 64 * 1024, delayMs: 100 },
      2,
    );
    const runs = await Promise.all([
      start('models', 'pull', 'depth_anything').done,
      start('models', 'pull', 'depth_anything').done,
    ]);
    expect(runs.map((run) => run.code)).toEqual([0, 0]);
    expect(runs[0]?.stdout).toBe(runs[1]?.stdout);
    expect(hub.fileDownloads(DEPTH_REPO, 'onnx/model.onnx')).toHaveLength(1);
    expect(hub.fileDownloads(DEPTH_REPO, 'config.json')).toHaveLength(1);
  }, 30_000);

  it('stops on SIGINT with exit code 130 and resumes on the next run', async () => {
    hub.injectFault({ repo: DEPTH_REPO, file: 'onnx/model.onnx' }, { kind: 'stall', afterBytes: 100_000 });
    const first = start('models', 'pull', 'depth-anything', '--files', 'onnx/model.onnx');
    while (!hub.requests.some((r) => r.route === 'cdn')) await sleep(20);
    await sleep(200);
    first.child.kill('SIGINT');
    const interrupted = await first.done;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toContain('interrupted; run the same command again to resume');

    const resumed = await start('models', 'pull', 'depth-anything', '--files', 'onnx/model.onnx').done;
    expect(resumed.code).toBe(0);
    expect(hub.fileDownloads(DEPTH_REPO, 'onnx/model.onnx').map((r) => r.range)).toEqual([undefined, 'bytes=100000-']);
    expect(await readFile(join(resumed.stdout.trim(), 'onnx', 'model.onnx'))).toEqual(WEIGHTS);
  }, 30_000);

  it('explains that sam3 needs an explicit id', async () => {
    const run = await start('models', 'pull', 'sam3').done;
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('focal models pull danilobukvic/sam3-text-onnx');
    expect(hub.requests).toHaveLength(0);
  }, 30_000);
});
