/**
 * A tiny CLIP-style byte-level BPE `tokenizer.json` with the same components as openai/clip
 * (NFC + whitespace collapse + lowercase, CLIP split regex + ByteLevel, `</w>` end-of-word suffix,
 * RobertaProcessing with <|startoftext|>/<|endoftext|>). Its base vocab holds every byte symbol, so any text
 * tokenizes; merges exist only for the demo words, whose whole-word tokens therefore get single ids.
 */
export const CLIP_BOS = '<|startoftext|>';
export const CLIP_EOS = '<|endoftext|>';
const WORD_SUFFIX = '</w>';

/** GPT-2's reversible byte → printable-unicode table, in CLIP's vocab order. */
function byteSymbols(): string[] {
  const printable: number[] = [];
  const ranges: Array<[number, number]> = [
    [0x21, 0x7e],
    [0xa1, 0xac],
    [0xae, 0xff],
  ];
  for (const [from, to] of ranges) for (let b = from; b <= to; b++) printable.push(b);
  const symbols = printable.map((b) => String.fromCodePoint(b));
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    if (!printable.includes(b)) symbols.push(String.fromCodePoint(256 + extra++));
  }
  return symbols;
}

/** Left-to-right merges building `word</w>` from its characters (ASCII words only). */
function mergesFor(word: string): Array<[string, string]> {
  const chars = [...word];
  chars[chars.length - 1] += WORD_SUFFIX;
  const merges: Array<[string, string]> = [];
  let left = chars[0];
  for (const next of chars.slice(1)) {
    merges.push([left, next]);
    left += next;
  }
  return merges;
}

export function buildClipBpeTokenizerJson(words: readonly string[]): Record<string, unknown> {
  const base = byteSymbols();
  const vocab: Record<string, number> = {};
  const add = (token: string) => {
    if (!(token in vocab)) vocab[token] = Object.keys(vocab).length;
  };
  base.forEach(add);
  base.forEach((s) => add(s + WORD_SUFFIX));
  const merges: string[] = [];
  for (const word of words) {
    for (const [a, b] of mergesFor(word)) {
      if (!(a + b in vocab)) {
        merges.push(`${a} ${b}`);
        add(a + b);
      }
    }
  }
  add(CLIP_BOS);
  add(CLIP_EOS);
  const special = (content: string) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: true,
    special: true,
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(CLIP_BOS), special(CLIP_EOS)],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'NFC' },
        { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' },
        { type: 'Lowercase' },
      ],
    },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        {
          type: 'Split',
          pattern: {
            Regex:
              "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
          },
          behavior: 'Removed',
          invert: true,
        },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: 'RobertaProcessing',
      sep: [CLIP_EOS, vocab[CLIP_EOS]],
      cls: [CLIP_BOS, vocab[CLIP_BOS]],
      trim_offsets: false,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: CLIP_EOS,
      continuing_subword_prefix: '',
      end_of_word_suffix: WORD_SUFFIX,
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges,
    },
  };
}

/** The `tokenizer_config.json` that accompanies it (as in facebook/sam3: CLIPTokenizer, max length 32). */
export function buildClipBpeTokenizerConfig(): Record<string, unknown> {
  return {
    tokenizer_class: 'CLIPTokenizer',
    do_lower_case: true,
    model_max_length: 32,
    bos_token: CLIP_BOS,
    eos_token: CLIP_EOS,
    pad_token: CLIP_EOS,
    unk_token: CLIP_EOS,
  };
}
