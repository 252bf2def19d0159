import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';

export const TOKENIZER_FILE = 'tokenizer.json';
export const TOKENIZER_CONFIG_FILE = 'tokenizer_config.json';

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Loads the model folder's `tokenizer.json` (required) with its `tokenizer_config.json` (optional: it only adds
 * metadata such as special-token names) through @huggingface/tokenizers. A missing tokenizer is a broken model
 * folder, so this fails the model load rather than a request.
 */
export async function loadTokenizer(modelDir: string): Promise<Tokenizer> {
  const tokenizerJson = await readJson(join(modelDir, TOKENIZER_FILE));
  if (!tokenizerJson) throw new Error(`${modelDir} has no ${TOKENIZER_FILE}; text-prompted models need one`);
  const config = (await readJson(join(modelDir, TOKENIZER_CONFIG_FILE))) ?? {};
  return new Tokenizer(tokenizerJson, config);
}
