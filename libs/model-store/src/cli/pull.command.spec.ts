import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { FakeHub } from '../../../testing/src/fake-hub/index.js';
import type { ModelStoreOptions } from '../model-store.options.js';
import { planPull, runPullCli } from './pull.command.js';

const DEPTH_REPO = 'onnx-community/depth-anything-v2-small';
const WEIGHTS = randomBytes(5000);

function output(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('planPull', () => {
  it('maps model types to their default repo and files', () => {
    expect(planPull(['models', 'pull', 'grounding-dino'])).toEqual({
      id: 'onnx-community/grounding-dino-tiny-ONNX',
      files: ['onnx/model.onnx', '*.json', 'vocab.txt'],
    });
  });

  it('lets --files and --revision override the defaults', () => {
    expect(
      planPull(['models', 'pull', 'dinov3', '--revision', 'v2', '--files', 'onnx/model_fp16.onnx, *.json']),
    ).toEqual({
      id: 'hf://onnx-community/dinov3-vits16-pretrain-lvd1689m-ONNX@v2',
      files: ['onnx/model_fp16.onnx', '*.json'],
    });
  });

  it('passes other ids through, with all files', () => {
    expect(planPull(['models', 'pull', 'https://host/m.onnx'])).toEqual({
      id: 'https://host/m.onnx',
      files: undefined,
    });
  });

  it('refuses sam3 without an id, naming community exports', () => {
    expect(() => planPull(['models', 'pull', 'sam3'])).toThrow(
      /no onnx-community export of text-prompted SAM3[\s\S]*danilobukvic\/sam3-text-onnx/,
    );
  });

  it.each([
    [['models', 'push', 'x/y']],
    [['models', 'pull']],
    [['models', 'pull', 'a/b', 'c/d']],
    [['models', 'pull', 'a/b', '--bogus']],
    [['models', 'pull', 'a/b@v1', '--revision', 'v2']],
    [['models', 'pull', '/local/folder', '--revision', 'v2']],
  ])('refuses %j', (argv) => {
    expect(() => planPull(argv)).toThrow();
  });
});

describe('runPullCli', () => {
  let hub: FakeHub;
  let root: string;
  let options: ModelStoreOptions;
  let stdout: ReturnType<typeof output>;
  let stderr: ReturnType<typeof output>;
  const run = (...argv: string[]) =>
    runPullCli(argv, { readOptions: () => options, stdout: stdout.stream, stderr: stderr.stream });

  beforeEach(async () => {
    hub = await FakeHub.start();
    hub.addRepo(DEPTH_REPO, {
      files: {
        'config.json': '{}',
        'preprocessor_config.json': '{"size":518}',
        'onnx/model.onnx': WEIGHTS,
        'onnx/model_fp16.onnx': randomBytes(3000),
      },
    });
    root = await mkdtemp(join(tmpdir(), 'focal-cli-'));
    options = { cacheDir: root, endpoint: hub.url, retryDelayMs: 5 };
    stdout = output();
    stderr = output();
  });

  afterEach(async () => {
    await hub.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('pulls a model type and prints its folder', async () => {
    expect(await run('models', 'pull', 'depth-anything')).toBe(0);
    const dir = stdout.text().trim();
    expect(dir).toBe(
      join(root, 'hub', 'models--onnx-community--depth-anything-v2-small', 'snapshots', hub.sha(DEPTH_REPO)),
    );
    expect(await readFile(join(dir, 'onnx', 'model.onnx'))).toEqual(WEIGHTS);
    expect(hub.fileDownloads(DEPTH_REPO, 'onnx/model_fp16.onnx')).toHaveLength(0);
    expect(stderr.text()).toMatch(/100% \| 5\.0 kB\/5\.0 kB \| onnx\/model\.onnx/);
    expect(stderr.text()).toContain('3 files (3 downloaded)');
  });

  it('says when everything came from the cache', async () => {
    await run('models', 'pull', 'depth_anything');
    expect(await run('models', 'pull', 'depth_anything')).toBe(0);
    expect(stderr.text()).toContain('3 files (all from cache)');
  });

  it('exits 1 with the store error, 2 for usage and settings problems, 0 for help', async () => {
    expect(await run('models', 'pull', 'org/missing')).toBe(1);
    expect(stderr.text()).toContain('error: hf://org/missing@main: repository not found');
    expect(await run('models', 'pull', 'sam3')).toBe(2);
    expect(await run('models')).toBe(2);
    expect(stderr.text()).toContain('Usage: focal models pull');
    options = { cacheDir: root, endpoint: 'ftp://nope' };
    expect(await run('models', 'pull', 'dinov3')).toBe(1);
    expect(
      await runPullCli(['models', 'pull', 'dinov3'], {
        readOptions: () => {
          throw new Error('HF_HUB_OFFLINE must be true or false');
        },
        stdout: stdout.stream,
        stderr: stderr.stream,
      }),
    ).toBe(2);
    expect(await run('--help')).toBe(0);
    expect(stdout.text()).toContain('--files, -f');
  });
});
