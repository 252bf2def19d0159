"""Export HF Grounding DINO to the one ONNX graph Focal serves, with the phrase-block text mask as graph inputs.

    python tools/export/grounding_dino.py IDEA-Research/grounding-dino-tiny OUT      # hub id or local folder
    python tools/export/grounding_dino.py tiny OUT --tiny --seed 0                  # seeded random tiny model

Why not a plain trace: Grounding DINO builds its text self-attention mask and position ids from the token ids
(`generate_masks_with_special_tokens_and_transfer_map`: one block per "phrase." and positions restarting per
phrase). In transformers 4.x that is a Python loop over the special-token positions, so `torch.onnx.export`
bakes the dummy prompt's blocks into the graph; the public onnx-community export therefore reads every prompt as
if it had the dummy's phrase layout and finds only the first phrase's objects. In 5.x it is vectorised with
cummax/cummin, which ONNX has no operator for. Either way the robust contract is to take both tensors as inputs:

    in   pixel_values [B,3,H,W] f32, pixel_mask [B,H,W] i64, input_ids / token_type_ids / attention_mask [B,T] i64,
         text_self_attention_mask [B,T,T] i64 (1 = may attend; HF's mask, not inverted), position_ids [B,T] i64
    out  logits [B,Q,max_text_len] (-inf past the text), pred_boxes [B,Q,4] cxcywh 0–1

Focal computes both inputs from the ids exactly as HF does (libs/vision/src/families/grounding-dino/
text-phrase-mask.builder.ts) and feeds them because focal-model.json names them.

`--traced-one-phrase` instead reproduces how the public graph behaves: the 4.x loop is traced with a one-phrase
dummy prompt, so the mask is a constant and the graph takes only the onnx-community inputs. It exists to show
(in Focal's reference tests) that such a graph gets multi-phrase prompts wrong.

The output folder holds model.onnx, focal-model.json, the tokenizer (tokenizer.json, tokenizer_config.json), and
HF's config.json / preprocessor_config.json, so the same folder loads in Focal and in transformers.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_tokenizers import bert_tokenizer  # noqa: E402

OPSET = 18
INPUTS = ["pixel_values", "input_ids", "token_type_ids", "attention_mask", "pixel_mask"]
MASK_INPUTS = ["text_self_attention_mask", "position_ids"]
OUTPUTS = ["logits", "pred_boxes"]
TINY_LOGIT_SCALE = 0.15


def tiny_config(max_text_len: int, num_queries: int):
    """REFERENCE-ORACLES.md §1 (HF's test config), widened where a 3-phrase prompt needs it: max_text_len and the
    BERT position table hold "[CLS] w . w . w . [SEP]" and more; more queries so a kept set is not trivially 0–2."""
    from transformers import BertConfig, GroundingDinoConfig, SwinConfig

    from synthetic_tokenizers import bert_vocab

    backbone = SwinConfig(
        window_size=7, embed_dim=8, depths=[1, 1, 1, 1], num_heads=[1, 1, 1, 1], image_size=98,
        out_features=["stage2", "stage3", "stage4"], out_indices=[2, 3, 4],
    )
    text = BertConfig(
        vocab_size=len(bert_vocab()), hidden_size=8, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=8, max_position_embeddings=max_text_len,
    )
    return GroundingDinoConfig(
        backbone_config=backbone, text_config=text, d_model=32, encoder_layers=2, decoder_layers=2,
        encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=4, decoder_ffn_dim=4,
        num_queries=num_queries, num_feature_levels=4, encoder_n_points=2, decoder_n_points=6,
        max_text_len=max_text_len, disable_custom_kernels=True,
    )


def load(source: str, tiny: bool, seed: int, max_text_len: int, num_queries: int, sizes: tuple[int, int]):
    """(model, processor) in eval mode: the checkpoint at `source`, or a seeded random tiny model."""
    from transformers import (
        AutoProcessor,
        GroundingDinoForObjectDetection,
        GroundingDinoImageProcessor,
        GroundingDinoProcessor,
    )

    if not tiny:
        model = GroundingDinoForObjectDetection.from_pretrained(source, attn_implementation="eager")
        return model.eval(), AutoProcessor.from_pretrained(source)
    torch.manual_seed(seed)
    model = GroundingDinoForObjectDetection(tiny_config(max_text_len, num_queries)).eval()
    # Random weights give logits of ±15, so every score rounds to 1 and a threshold keeps all or nothing. Shrinking
    # the decoder's last LayerNorm scales the logits (a dot product with it) into a range where scores spread out.
    with torch.no_grad():
        model.model.decoder.layer_norm.weight.mul_(TINY_LOGIT_SCALE)
        model.model.decoder.layer_norm.bias.mul_(TINY_LOGIT_SCALE)
    shortest, longest = sizes
    image_processor = GroundingDinoImageProcessor(size={"shortest_edge": shortest, "longest_edge": longest})
    return model, GroundingDinoProcessor(image_processor=image_processor, tokenizer=bert_tokenizer())


def loop_masks(input_ids: torch.Tensor, special_tokens=None):
    """transformers 4.x `generate_masks_with_special_tokens_and_transfer_map`, verbatim in behaviour: a Python loop
    over `nonzero()`, so a trace records the dummy prompt's block boundaries as constants."""
    from transformers.models.grounding_dino.modeling_grounding_dino import SPECIAL_TOKENS

    batch_size, num_token = input_ids.shape
    special_tokens_mask = torch.zeros((batch_size, num_token), device=input_ids.device).bool()
    for special_token in SPECIAL_TOKENS:
        special_tokens_mask = special_tokens_mask | (input_ids == special_token)  # `|=` has no ONNX export
    idxs = torch.nonzero(special_tokens_mask)
    attention_mask = torch.eye(num_token, device=input_ids.device).bool().unsqueeze(0).repeat(batch_size, 1, 1)
    position_ids = torch.zeros((batch_size, num_token), device=input_ids.device)
    previous_col = 0
    for i in range(idxs.shape[0]):
        row, col = idxs[i]
        if (col == 0) or (col == num_token - 1):
            attention_mask[row, col, col] = True
            position_ids[row, col] = 0
        else:
            attention_mask[row, previous_col + 1 : col + 1, previous_col + 1 : col + 1] = True
            position_ids[row, previous_col + 1 : col + 1] = torch.arange(0, col - previous_col, device=input_ids.device)
        previous_col = col
    return attention_mask, position_ids.to(torch.long)


@contextlib.contextmanager
def patched_masks(function):
    """Swaps the module-level mask builder HF's forward calls by name."""
    from transformers.models.grounding_dino import modeling_grounding_dino as modeling

    original = modeling.generate_masks_with_special_tokens_and_transfer_map
    modeling.generate_masks_with_special_tokens_and_transfer_map = function
    try:
        yield
    finally:
        modeling.generate_masks_with_special_tokens_and_transfer_map = original


class WithTextMaskInputs(torch.nn.Module):
    """HF forward, except that the text mask and position ids come in as tensors instead of being built."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, pixel_values, input_ids, token_type_ids, attention_mask, pixel_mask, text_mask, position_ids):
        with patched_masks(lambda ids, special_tokens=None: (text_mask.bool(), position_ids)):
            out = self.model(
                pixel_values=pixel_values, input_ids=input_ids, token_type_ids=token_type_ids,
                attention_mask=attention_mask, pixel_mask=pixel_mask, return_dict=True,
            )
        return out.logits, out.pred_boxes


class TracedMask(torch.nn.Module):
    """HF forward with the 4.x loop mask builder, as the public export was traced."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, pixel_values, input_ids, token_type_ids, attention_mask, pixel_mask):
        with patched_masks(loop_masks):
            out = self.model(
                pixel_values=pixel_values, input_ids=input_ids, token_type_ids=token_type_ids,
                attention_mask=attention_mask, pixel_mask=pixel_mask, return_dict=True,
            )
        return out.logits, out.pred_boxes


def _pad_to_patch(self, pixel_values, height, width):
    """Swin patch-embedding padding without the `if`: pads by 0 when already divisible."""
    pad_w = (self.patch_size[1] - width % self.patch_size[1]) % self.patch_size[1]
    pad_h = (self.patch_size[0] - height % self.patch_size[0]) % self.patch_size[0]
    return torch.nn.functional.pad(pixel_values, (0, pad_w, 0, pad_h))


def _pad_to_even(self, input_feature, height, width):
    """Swin patch-merging padding without the `if`."""
    return torch.nn.functional.pad(input_feature, (0, 0, 0, width % 2, 0, height % 2))


@contextlib.contextmanager
def branch_free_swin():
    """Swin pads only when a size is not divisible, decided by a Python `if` a trace records once for the dummy
    size. The same padding written without the branch (a pad of 0 is a no-op) keeps the graph right for every H×W."""
    from transformers.models.swin import modeling_swin as swin

    saved = (swin.SwinPatchEmbeddings.maybe_pad, swin.SwinPatchMerging.maybe_pad)
    swin.SwinPatchEmbeddings.maybe_pad, swin.SwinPatchMerging.maybe_pad = _pad_to_patch, _pad_to_even
    try:
        yield
    finally:
        swin.SwinPatchEmbeddings.maybe_pad, swin.SwinPatchMerging.maybe_pad = saved


@contextlib.contextmanager
def traced_spatial_shapes():
    """HF turns the feature maps' (height, width) list into a tensor with `torch.as_tensor`, which a trace records
    as a constant of the dummy image's sizes. Under tracing those sizes are 0-d tensors, so stacking them keeps the
    graph following the real input size."""
    original = torch.as_tensor

    def as_tensor(data, *args, **kwargs):
        if isinstance(data, list) and data and isinstance(data[0], tuple) and isinstance(data[0][0], torch.Tensor):
            rows = [torch.stack([original(v) for v in row]) for row in data]
            return torch.stack(rows).to(kwargs.get("dtype", torch.long))
        return original(data, *args, **kwargs)

    torch.as_tensor = as_tensor
    try:
        yield
    finally:
        torch.as_tensor = original


def text_mask_inputs(model, input_ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """HF's own mask and position ids for `input_ids` (whatever version is installed), mask as int64."""
    from transformers.models.grounding_dino.modeling_grounding_dino import (
        generate_masks_with_special_tokens_and_transfer_map,
    )

    mask, positions = generate_masks_with_special_tokens_and_transfer_map(input_ids, model.model.special_tokens)
    return mask.to(torch.long), positions


def export(model, processor, out: Path, traced_one_phrase: bool, dummy_text: str, dummy_image) -> list[str]:
    inputs = processor(images=dummy_image, text=dummy_text, return_tensors="pt")
    args = [inputs[name] for name in INPUTS]
    dynamic = {
        "pixel_values": {0: "batch_size", 2: "height", 3: "width"},
        "pixel_mask": {0: "batch_size", 1: "height", 2: "width"},
        "logits": {0: "batch_size"},
        "pred_boxes": {0: "batch_size"},
    }
    for name in ("input_ids", "token_type_ids", "attention_mask"):
        dynamic[name] = {0: "batch_size", 1: "sequence_length"}
    names = list(INPUTS)
    # Tracing leaves state behind in the modules (PyTorch outputs differ afterwards), so trace a copy and keep
    # `model` itself as the reference.
    model = copy.deepcopy(model)
    if traced_one_phrase:
        module = TracedMask(model)
    else:
        module = WithTextMaskInputs(model)
        args += list(text_mask_inputs(model, inputs["input_ids"]))
        names += MASK_INPUTS
        dynamic["text_self_attention_mask"] = {0: "batch_size", 1: "sequence_length", 2: "sequence_length"}
        dynamic["position_ids"] = {0: "batch_size", 1: "sequence_length"}
    with torch.no_grad(), branch_free_swin(), traced_spatial_shapes():
        torch.onnx.export(
            module, tuple(args), str(out / "model.onnx"), input_names=names, output_names=OUTPUTS,
            dynamic_axes=dynamic, opset_version=OPSET, dynamo=False, do_constant_folding=True,
        )
    return names


def write_manifest(out: Path, model, processor, source: str, input_names: list[str], traced: bool) -> None:
    size = processor.image_processor.size
    manifest = {
        "family": "grounding_dino",
        "source": f"{source} via tools/export/grounding_dino.py" + (" --traced-one-phrase" if traced else ""),
        "graphs": {
            "model": {
                "file": "model.onnx",
                "inputs": {name: name for name in input_names},
                "outputs": {name: name for name in OUTPUTS},
            }
        },
        "preprocessing": {"shortest_edge": size["shortest_edge"], "longest_edge": size["longest_edge"]},
        "config": {"max_text_len": model.config.max_text_len, "special_token_ids": model.model.special_tokens.tolist()},
    }
    (out / "focal-model.json").write_text(json.dumps(manifest, indent=2) + "\n")


def check(model, processor, out: Path, traced: bool, texts: list[str], image) -> float:
    """Max |ORT − PyTorch| over a few prompts of other phrase counts than the dummy's (the recipe must follow them)."""
    import numpy as np
    import onnxruntime as ort

    session = ort.InferenceSession(str(out / "model.onnx"), providers=["CPUExecutionProvider"])
    worst = 0.0
    for text in texts:
        inputs = processor(images=image, text=text, return_tensors="pt")
        with torch.no_grad():
            ref = model(**inputs)
        feeds = {name: inputs[name].numpy() for name in INPUTS}
        if not traced:
            mask, positions = text_mask_inputs(model, inputs["input_ids"])
            feeds["text_self_attention_mask"] = mask.numpy()
            feeds["position_ids"] = positions.numpy()
        logits, boxes = session.run(OUTPUTS, feeds)
        finite = np.isfinite(ref.logits.numpy())
        assert (np.isfinite(logits) == finite).all(), "the -inf pattern of logits differs"
        worst = max(worst, float(np.abs(logits[finite] - ref.logits.numpy()[finite]).max()))
        worst = max(worst, float(np.abs(boxes - ref.pred_boxes.numpy()).max()))
    return worst


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", help="hub id or local folder (ignored with --tiny except as the recorded source)")
    parser.add_argument("out", type=Path)
    parser.add_argument("--tiny", action="store_true", help="seeded random-weight tiny model, synthetic BERT vocab")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-text-len", type=int, default=16, help="--tiny only")
    parser.add_argument("--num-queries", type=int, default=20, help="--tiny only")
    parser.add_argument("--shortest-edge", type=int, default=240, help="--tiny only: processor size")
    parser.add_argument("--longest-edge", type=int, default=400, help="--tiny only: processor size")
    parser.add_argument("--traced-one-phrase", action="store_true", help="bake a one-phrase mask in, as published")
    parser.add_argument("--dummy-text", default="a cat.", help="prompt traced with (one phrase, as published)")
    args = parser.parse_args(argv)

    from PIL import Image

    model, processor = load(
        args.model, args.tiny, args.seed, args.max_text_len, args.num_queries, (args.shortest_edge, args.longest_edge)
    )
    args.out.mkdir(parents=True, exist_ok=True)
    dummy = Image.new("RGB", (320, 240), (120, 90, 60))
    names = export(model, processor, args.out, args.traced_one_phrase, args.dummy_text, dummy)
    write_manifest(args.out, model, processor, "tiny random (seed %d)" % args.seed if args.tiny else args.model,
                   names, args.traced_one_phrase)
    processor.save_pretrained(args.out)
    model.config.save_pretrained(args.out)
    texts = [args.dummy_text] if args.traced_one_phrase else ["a cat.", "cat. dog.", "red ball. dog. car."]
    # Textured, not uniform: on a uniform image many queries tie and top-k may pick them in another order.
    import numpy as np

    probe = Image.fromarray(np.random.default_rng(0).integers(0, 256, (300, 200, 3), dtype=np.uint8))
    print(f"exported {args.out / 'model.onnx'}; max |ORT - PyTorch| = {check(model, processor, args.out, args.traced_one_phrase, texts, probe):.2e}")


if __name__ == "__main__":
    main()
