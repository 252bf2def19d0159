/**
 * A tiny BERT-uncased WordPiece `tokenizer.json` with the same components as bert-base-uncased
 * (BertNormalizer lowercase, BertPreTokenizer, [CLS] A [SEP] template, WordPiece model and decoder),
 * so the real tokenizer code path runs on the demo model. Ids differ from the real vocab on purpose:
 * code must look ids up instead of hard-coding 101/102/1012.
 */
export const WORDPIECE_SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

export function buildWordPieceTokenizerJson(words: readonly string[]): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  for (const token of [...WORDPIECE_SPECIAL_TOKENS, ...words]) {
    if (!(token in vocab)) vocab[token] = Object.keys(vocab).length;
  }
  const special = (content: string) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const templateToken = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: WORDPIECE_SPECIAL_TOKENS.map(special),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [templateToken('[CLS]', 0), { Sequence: { id: 'A', type_id: 0 } }, templateToken('[SEP]', 0)],
      pair: [
        templateToken('[CLS]', 0),
        { Sequence: { id: 'A', type_id: 0 } },
        templateToken('[SEP]', 0),
        { Sequence: { id: 'B', type_id: 1 } },
        templateToken('[SEP]', 1),
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [vocab['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [vocab['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}

/** The `tokenizer_config.json` that accompanies it (as in bert-base-uncased). */
export function buildWordPieceTokenizerConfig(): Record<string, unknown> {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: 512,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };
}
