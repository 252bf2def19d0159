import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listFiles } from './list-files.js';

describe('listFiles', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'focal-list-'));
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('lists nested files, follows symlinks and skips partial downloads, git and dangling links', async () => {
    await mkdir(join(dir, 'onnx'));
    await mkdir(join(dir, '.git'));
    await mkdir(join(dir, 'blobs'));
    await writeFile(join(dir, 'config.json'), '{}');
    await writeFile(join(dir, 'blobs', 'abc'), 'weights');
    await symlink('../blobs/abc', join(dir, 'onnx', 'model.onnx'));
    await symlink('../blobs/missing', join(dir, 'onnx', 'dangling.onnx'));
    await writeFile(join(dir, 'onnx', 'model_fp16.onnx.incomplete'), 'part');
    await writeFile(join(dir, '.git', 'HEAD'), 'ref');
    expect(await listFiles(dir)).toEqual(['blobs/abc', 'config.json', 'onnx/model.onnx']);
  });
});
