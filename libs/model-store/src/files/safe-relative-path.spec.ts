import { isSafeRelativePath } from './safe-relative-path.js';

describe('isSafeRelativePath', () => {
  it.each(['config.json', 'onnx/model.onnx', '.gitattributes', 'a/b/c..d'])('accepts %p', (path) => {
    expect(isSafeRelativePath(path)).toBe(true);
  });

  it.each(['', '/etc/passwd', '../up', 'a/../../b', 'a//b', './a', 'a\\b', 'a/'])('refuses %p', (path) => {
    expect(isSafeRelativePath(path)).toBe(false);
  });
});
