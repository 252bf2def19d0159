import { Tokenizer } from '@huggingface/tokenizers';
import { sam3Demo } from '@focal/demo-models';

/** The demo model's tiny CLIP BPE tokenizer (test fixtures only). */
export function demoClipTokenizer(): Tokenizer {
  const files = sam3Demo.files();
  return new Tokenizer(
    JSON.parse(files['tokenizer.json'] as string),
    JSON.parse(files['tokenizer_config.json'] as string),
  );
}
