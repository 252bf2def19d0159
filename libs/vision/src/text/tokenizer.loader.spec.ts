import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDemoModel } from '@focal/demo-models';
import { TOKENIZER_CONFIG_FILE, TOKENIZER_FILE, loadTokenizer } from './tokenizer.loader.js';
import { singleTokenId } from './single-token.js';

describe('loadTokenizer', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'focal-tokenizer-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('reads a BERT WordPiece tokenizer.json from a model folder', async () => {
    const tokenizer = await loadTokenizer(await ensureDemoModel('grounding_dino', root));
    expect(tokenizer.encode('A Cat. red balls.').tokens).toEqual([
      '[CLS]',
      'a',
      'cat',
      '.',
      'red',
      'ball',
      '##s',
      '.',
      '[SEP]',
    ]);
  });

  it('reads a CLIP BPE tokenizer.json from a model folder', async () => {
    const tokenizer = await loadTokenizer(await ensureDemoModel('sam3', root));
    expect(tokenizer.encode('Red  BALL').tokens).toEqual(['<|startoftext|>', 'red</w>', 'ball</w>', '<|endoftext|>']);
  });

  it('works without tokenizer_config.json', async () => {
    const dir = await ensureDemoModel('grounding_dino', root);
    await unlink(join(dir, TOKENIZER_CONFIG_FILE));
    expect((await loadTokenizer(dir)).encode('dog').tokens).toEqual(['[CLS]', 'dog', '[SEP]']);
  });

  it('fails the load, naming the file, when tokenizer.json is missing or broken', async () => {
    await expect(loadTokenizer(root)).rejects.toThrow(/has no tokenizer\.json/);
    await writeFile(join(root, TOKENIZER_FILE), '{not json');
    await expect(loadTokenizer(root)).rejects.toThrow(/tokenizer\.json is not valid JSON/);
  });
});

describe('singleTokenId', () => {
  it('reads the separator id from the vocabulary instead of assuming BERT’s 1012', async () => {
    const root = await mkdtemp(join(tmpdir(), 'focal-tokenizer-'));
    try {
      const tokenizer = await loadTokenizer(await ensureDemoModel('grounding_dino', root));
      const id = singleTokenId(tokenizer, '.');
      expect(id).toBe(tokenizer.token_to_id('.'));
      expect(id).not.toBe(1012);
      expect(() => singleTokenId(tokenizer, 'cats')).toThrow(/single token, got 2/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
