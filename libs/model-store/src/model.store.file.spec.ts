import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ModelStore } from './model.store.js';
import { ModelNotFoundError } from './model-store.errors.js';

describe('ModelStore with local folders', () => {
  let folder: string;
  let cacheDir: string;
  const store = () => new ModelStore({ cacheDir, offline: true });

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'focal-local-'));
    cacheDir = join(folder, 'cache');
    await mkdir(join(folder, 'model', 'onnx'), { recursive: true });
    await mkdir(join(folder, 'model', '.git'));
    await writeFile(join(folder, 'model', 'config.json'), '{}');
    await writeFile(join(folder, 'model', 'onnx', 'model.onnx'), 'graph');
    await writeFile(join(folder, 'model', '.git', 'config'), '[core]');
    await writeFile(join(folder, 'elsewhere.onnx'), 'linked graph');
    await symlink(join(folder, 'elsewhere.onnx'), join(folder, 'model', 'onnx', 'model_fp16.onnx'));
  });

  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('uses an absolute folder path in place, listing its files', async () => {
    const model = await store().ensure(join(folder, 'model'));
    expect(model.dir).toBe(join(folder, 'model'));
    expect(model.files).toEqual(['config.json', 'onnx/model.onnx', 'onnx/model_fp16.onnx']);
    expect(model.ref).toEqual({
      source: 'file',
      path: join(folder, 'model'),
      uri: pathToFileURL(join(folder, 'model')).href,
    });
    await expect(readdir(cacheDir)).rejects.toThrow();
  });

  it('reads file:// URIs and applies file patterns', async () => {
    const model = await store().ensure(pathToFileURL(join(folder, 'model')).href, {
      files: ['onnx/model.onnx', '*.json'],
    });
    expect(model.files).toEqual(['config.json', 'onnx/model.onnx']);
  });

  it('serves a single file from its folder', async () => {
    const model = await store().ensure(join(folder, 'model', 'onnx', 'model.onnx'));
    expect(model).toMatchObject({ dir: join(folder, 'model', 'onnx'), files: ['model.onnx'] });
  });

  it('reports missing folders and files as ModelNotFoundError', async () => {
    await expect(store().ensure(join(folder, 'absent'))).rejects.toThrow(
      new ModelNotFoundError(`${join(folder, 'absent')} does not exist`),
    );
    await expect(store().ensure(join(folder, 'model'), { files: ['vocab.txt'] })).rejects.toThrow(
      /file not found: vocab\.txt/,
    );
    await expect(store().ensure(join(folder, 'model'), { files: ['*.bin'] })).rejects.toThrow(/no file matches/);
  });
});
