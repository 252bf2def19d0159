import { ModelFetchError } from '../../model-store.errors.js';
import { parseFolderManifest } from './folder-manifest.js';

describe('parseFolderManifest', () => {
  it('reads paths with optional size and sha256', () => {
    const hash = 'AB'.repeat(32);
    expect(
      parseFolderManifest(
        { files: [{ path: 'onnx/model.onnx', size: 10, sha256: hash }, { path: 'config.json' }] },
        'm',
      ),
    ).toEqual([
      { path: 'onnx/model.onnx', size: 10, sha256: hash.toLowerCase() },
      { path: 'config.json', size: undefined, sha256: undefined },
    ]);
  });

  it.each([
    [null],
    [{ files: 'x' }],
    [{ files: [{ path: '../escape' }] }],
    [{ files: [{ path: 'a', size: '10' }] }],
    [{ files: [{ path: 'a', sha256: 'short' }] }],
  ])('refuses %j', (body) => {
    expect(() => parseFolderManifest(body, 'm')).toThrow(ModelFetchError);
  });
});
