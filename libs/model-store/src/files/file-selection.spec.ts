import { FileSelection } from './file-selection.js';

const REPO = [
  '.gitattributes',
  'config.json',
  'onnx/model.onnx',
  'onnx/model_fp16.onnx',
  'onnx/model_quantized.onnx',
  'onnx/sub/extra.json',
  'tokenizer.json',
  'vocab.txt',
];

describe('FileSelection', () => {
  it('selects every file without patterns', () => {
    expect(new FileSelection(undefined).select(REPO).files).toEqual(REPO);
    expect(new FileSelection([]).selectsAll).toBe(true);
  });

  it('keeps * within one folder and lets ** cross folders', () => {
    expect(new FileSelection(['*.json']).select(REPO).files).toEqual(['config.json', 'tokenizer.json']);
    expect(new FileSelection(['**/*.json']).select(REPO).files).toEqual([
      'config.json',
      'onnx/sub/extra.json',
      'tokenizer.json',
    ]);
  });

  it('reads exact paths, brace alternatives, folders and dot files', () => {
    const selection = new FileSelection(['onnx/model.onnx', '{vocab.txt,tokenizer.json}', './.gitattributes']);
    expect(selection.select(REPO).files).toEqual(['.gitattributes', 'onnx/model.onnx', 'tokenizer.json', 'vocab.txt']);
    expect(new FileSelection(['onnx/']).select(REPO).files).toHaveLength(4);
  });

  it('reports exact paths that name no file, but not empty globs', () => {
    const result = new FileSelection(['onnx/model_int8.onnx', '*.bin', 'config.json']).select(REPO);
    expect(result.files).toEqual(['config.json']);
    expect(result.missingPaths).toEqual(['onnx/model_int8.onnx']);
  });

  it('describes itself for error messages', () => {
    expect(new FileSelection(['a', 'b/']).describe()).toBe('a, b/**');
    expect(new FileSelection(undefined).describe()).toBe('all files');
  });
});
