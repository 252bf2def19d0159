import { Tokenizer } from '@huggingface/tokenizers';
import { groundingDinoDemo } from '@focal/demo-models';

/** The demo model's tiny BERT-uncased WordPiece tokenizer (test fixtures only). */
export function demoBertTokenizer(): Tokenizer {
  const files = groundingDinoDemo.files();
  return new Tokenizer(
    JSON.parse(files['tokenizer.json'] as string),
    JSON.parse(files['tokenizer_config.json'] as string),
  );
}
