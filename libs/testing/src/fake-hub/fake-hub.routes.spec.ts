import { parseRoute } from './fake-hub.routes.js';

describe('parseRoute', () => {
  it('keeps a percent-encoded revision as one segment', () => {
    expect(parseRoute('/api/models/org/name/revision/refs%2Fpr%2F1')).toEqual({
      kind: 'revision',
      repo: 'org/name',
      revision: 'refs/pr/1',
    });
  });

  it('reads tree paths, recursion and the page cursor', () => {
    expect(parseRoute('/api/models/org/name/tree/main/onnx?recursive=true&cursor=5')).toEqual({
      kind: 'tree',
      repo: 'org/name',
      revision: 'main',
      path: 'onnx',
      recursive: true,
      cursor: 5,
    });
  });

  it('reads nested file paths of resolve URLs', () => {
    expect(parseRoute('/org/name/resolve/abc/onnx/model.onnx')).toEqual({
      kind: 'resolve',
      repo: 'org/name',
      revision: 'abc',
      path: 'onnx/model.onnx',
    });
  });

  it('calls anything else unknown', () => {
    expect(parseRoute('/org/name/blob/main/x').kind).toBe('unknown');
    expect(parseRoute('/api/models/org/name/tree/%E0%A4%A').kind).toBe('unknown');
  });
});
