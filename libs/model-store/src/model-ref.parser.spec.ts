import { parseModelRef } from './model-ref.parser.js';
import { InvalidModelIdError } from './model-store.errors.js';

describe('parseModelRef', () => {
  it('reads bare hub repo ids with the default revision', () => {
    expect(parseModelRef('onnx-community/depth-anything-v2-small')).toEqual({
      source: 'hf',
      repo: 'onnx-community/depth-anything-v2-small',
      revision: 'main',
      uri: 'hf://onnx-community/depth-anything-v2-small@main',
    });
  });

  it('reads hf:// URIs with branch, PR ref and commit revisions', () => {
    expect(parseModelRef('hf://org/name@v1.0')).toMatchObject({ repo: 'org/name', revision: 'v1.0' });
    expect(parseModelRef('hf://org/name@refs/pr/12')).toMatchObject({ revision: 'refs/pr/12' });
    expect(parseModelRef('org/name@0123456789abcdef0123456789abcdef01234567')).toMatchObject({
      revision: '0123456789abcdef0123456789abcdef01234567',
    });
  });

  it('accepts legacy single-segment repo names', () => {
    expect(parseModelRef('gpt2')).toMatchObject({ source: 'hf', repo: 'gpt2' });
  });

  it.each([
    ['a/b/c'],
    ['org/na--me'],
    ['org/name.git'],
    ['./models/depth'],
    ['org/name@'],
    ['org/name@../../etc'],
    ['hf://org/-bad'],
    [''],
  ])('refuses %p', (id) => {
    expect(() => parseModelRef(id)).toThrow(InvalidModelIdError);
  });

  it('reads single-file and folder URLs', () => {
    expect(parseModelRef('https://host/path/model.onnx')).toEqual({
      source: 'https',
      url: 'https://host/path/model.onnx',
      kind: 'file',
      sha256: undefined,
      uri: 'https://host/path/model.onnx',
    });
    expect(parseModelRef('http://host:8080/models/depth/')).toMatchObject({
      kind: 'folder',
      url: 'http://host:8080/models/depth/',
    });
  });

  it('reads a #sha256 pin on single files only', () => {
    const hash = 'ab'.repeat(32);
    expect(parseModelRef(`https://host/m.onnx#sha256=${hash}`)).toMatchObject({
      sha256: hash,
      url: 'https://host/m.onnx',
    });
    expect(() => parseModelRef(`https://host/dir/#sha256=${hash}`)).toThrow(InvalidModelIdError);
    expect(() => parseModelRef('https://host/m.onnx#md5=00')).toThrow(InvalidModelIdError);
  });

  it('refuses credentials in URLs and unknown schemes', () => {
    expect(() => parseModelRef('https://user:pw@host/m.onnx')).toThrow(/Credentials/);
    expect(() => parseModelRef('s3://bucket/model')).toThrow(/Unsupported scheme/);
  });

  it('reads file:// URIs and absolute paths as local folders', () => {
    expect(parseModelRef('file:///models/depth')).toEqual({
      source: 'file',
      path: '/models/depth',
      uri: 'file:///models/depth',
    });
    expect(parseModelRef('/models/depth/../sam3')).toMatchObject({ source: 'file', path: '/models/sam3' });
    expect(() => parseModelRef('file://remote-host/models')).toThrow(InvalidModelIdError);
  });
});
