"""Deterministic stand-in tokenizers for the tiny random-weight exports (``--tiny``), where the hub is unreachable.

They are real transformers tokenizers (tokenizers-backed), saved with ``save_pretrained`` like any checkpoint's,
so Focal's tokenizer loader reads the same ``tokenizer.json`` layout as for a real export.

* BERT WordPiece for Grounding DINO. HF's Grounding DINO hard-codes the bert-base-uncased ids of [CLS] 101,
  [SEP] 102, "." 1012 and "?" 1029 as phrase boundaries, so the synthetic vocabulary puts those tokens at those ids
  ([PAD] 0, [UNK] 100, [MASK] 103 as in bert-base-uncased) and fills the other slots below 1030 with
  ``[unusedN]``; the words the tests use follow from id 1030 on, in a fixed order.
* CLIP BPE for SAM3: <|startoftext|> / <|endoftext|> plus every word as one whole-word token (``word</w>``) and the
  lowercase letters as fallbacks, so any lowercase ASCII prompt tokenizes without <|endoftext|> as unknown.
"""

from __future__ import annotations

import string

# Words the reference prompts and Focal's warm-up ("object") use, plus a few spares. Order fixes the ids.
WORDS = [
    "a", "an", "the", "object", "cat", "cats", "dog", "car", "person", "ball", "red", "blue", "green",
    "disc", "square", "stripe", "sky", "tree", "remote", "couch", "light", "traffic", "chair", "table", "cup",
]
WORD_PIECES = ["##s", "##es", "##ing", "##ed"]

BERT_SPECIAL = {"[PAD]": 0, "[UNK]": 100, "[CLS]": 101, "[SEP]": 102, "[MASK]": 103, ".": 1012, "?": 1029}


def bert_vocab() -> dict[str, int]:
    """bert-base-uncased special ids in place, [unusedN] fillers, then WORDS, word pieces, letters and punctuation."""
    by_id = {i: t for t, i in BERT_SPECIAL.items()}
    vocab: dict[str, int] = {}
    unused = 0
    for i in range(1030):
        token = by_id.get(i)
        if token is None:
            token = f"[unused{unused}]"
            unused += 1
        vocab[token] = i
    extra = WORDS + WORD_PIECES + list(string.ascii_lowercase)
    extra += [f"##{c}" for c in string.ascii_lowercase]
    extra += [c for c in "!\"#$%&'()*+,-/:;<=>@[\\]^_`{|}~" if c not in vocab]
    for token in extra:
        if token not in vocab:
            vocab[token] = len(vocab)
    return vocab


def bert_tokenizer():
    from transformers import BertTokenizer

    tokenizer = BertTokenizer(vocab=bert_vocab(), do_lower_case=True)
    ids = [tokenizer.convert_tokens_to_ids(t) for t in ("[CLS]", "[SEP]", ".", "?")]
    assert ids == [101, 102, 1012, 1029], ids
    return tokenizer


def clip_vocab_and_merges(vocab_size: int) -> tuple[dict[str, int], list[str]]:
    """A byte-level-free CLIP-style BPE: letters (with and without </w>), whole words via merges, and the two
    specials at the top of the id range, as in CLIP (49406/49407 there, vocab_size-2/-1 here)."""
    tokens: list[str] = []
    for c in string.ascii_lowercase + string.digits + ".,!?-'":
        tokens += [c, f"{c}</w>"]
    merges: list[str] = []
    for word in WORDS:
        # Left-to-right merges build the word: "c a" → "ca", "ca t</w>" → "cat</w>".
        pieces = list(word[:-1]) + [f"{word[-1]}</w>"]
        current = pieces[0]
        for piece in pieces[1:]:
            merged = current + piece
            merges.append(f"{current} {piece}")
            if merged not in tokens:
                tokens.append(merged)
            current = merged
    if len(tokens) + 2 > vocab_size:
        raise ValueError(f"vocab_size {vocab_size} is too small for {len(tokens) + 2} tokens")
    vocab = {t: i for i, t in enumerate(tokens)}
    vocab["<|startoftext|>"] = vocab_size - 2
    vocab["<|endoftext|>"] = vocab_size - 1
    return vocab, list(dict.fromkeys(merges))


def clip_tokenizer(vocab_size: int, max_length: int):
    from transformers import CLIPTokenizer

    vocab, merges = clip_vocab_and_merges(vocab_size)
    pairs = [tuple(m.split(" ")) for m in merges]
    tokenizer = CLIPTokenizer(vocab=vocab, merges=pairs, model_max_length=max_length)
    return tokenizer
