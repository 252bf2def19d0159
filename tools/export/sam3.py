"""Export HF `Sam3Model` (text prompts) as the three ONNX graphs Focal's SAM3 family serves.

    python tools/export/sam3.py facebook/sam3 OUT                 # hub id or local folder
    python tools/export/sam3.py tiny OUT --tiny --seed 0          # seeded random tiny model, synthetic CLIP BPE

Graphs (names as Focal's default SAM3 manifest and the jamjamjon/usls v2 split, so either manifest works):

    vision-encoder.onnx  images [B,3,S,S] (HF pixel_values: /255, mean = std = 0.5)
                         → fpn_feat_0 [B,C,4S/14,4S/14], fpn_feat_1 [B,C,2S/14,…], fpn_feat_2 [B,C,S/14,…],
                           fpn_pos_2 (the position encoding of level 2; the decoder uses no other)
    text-encoder.onnx    input_ids, attention_mask [B,32] int64 → text_features [B,32,C] (HF `pooler_output`,
                         the projected hidden states), text_mask [B,32] bool
    decoder.onnx         fpn_feat_0..2, fpn_pos_2, prompt_features, prompt_mask
                         → pred_masks [B,Q,4S/14,4S/14] logits, pred_boxes [B,Q,4] xyxy 0–1, pred_logits [B,Q],
                           presence_logits [B,1]

The decoder is HF's `Sam3Model.forward` from `vision_embeds` and `text_embeds` with no geometry prompt (text-only),
so the three graphs compose to exactly the model. Shapes are static in S (the ViT's position embedding is fixed to
the image size); batch and, for the text graph, nothing else is dynamic. The folder also gets focal-model.json, the
tokenizer (tokenizer.json) and HF's processor/config files.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_tokenizers import clip_tokenizer  # noqa: E402

OPSET = 18
TINY_INIT_STD = 0.2
TEXT_LENGTH = 32
VISION_OUTPUTS = ["fpn_feat_0", "fpn_feat_1", "fpn_feat_2", "fpn_pos_2"]
TEXT_OUTPUTS = ["text_features", "text_mask"]
DECODER_INPUTS = ["fpn_feat_0", "fpn_feat_1", "fpn_feat_2", "fpn_pos_2", "prompt_features", "prompt_mask"]
DECODER_OUTPUTS = ["pred_masks", "pred_boxes", "pred_logits", "presence_logits"]
FILES = {"vision_encoder": "vision-encoder.onnx", "text_encoder": "text-encoder.onnx", "decoder": "decoder.onnx"}


def tiny_config(image_size: int, num_queries: int):
    """REFERENCE-ORACLES.md §1 (HF's test config), with 4 FPN scales (forward uses the first 3, the decoder and
    Focal expect 3 levels) and more queries so a kept set is not trivially 0–5."""
    from transformers import Sam3Config, Sam3ViTConfig

    patches = image_size // 14
    vit = Sam3ViTConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
               image_size=image_size, pretrain_image_size=image_size, patch_size=14, window_size=8,
               global_attn_indexes=[0, 1])
    vision = dict(backbone_config=vit, fpn_hidden_size=32, scale_factors=[4.0, 2.0, 1.0, 0.5],
                  backbone_feature_sizes=[[4 * patches] * 2, [2 * patches] * 2, [patches] * 2])
    text = dict(vocab_size=1000, hidden_size=32, intermediate_size=64, projection_dim=32, num_hidden_layers=2,
                num_attention_heads=4, max_position_embeddings=TEXT_LENGTH, hidden_act="gelu",
                # The synthetic tokenizer's <|startoftext|> / <|endoftext|> (CLIP's 49406/49407 in a 1000 vocab).
                bos_token_id=998, eos_token_id=999, pad_token_id=999)
    block = dict(hidden_size=32, num_layers=1, num_attention_heads=4, intermediate_size=64)
    config = Sam3Config(
        vision_config=vision, text_config=text, geometry_encoder_config=block, detr_encoder_config=block,
        detr_decoder_config={**block, "num_queries": num_queries},
        mask_decoder_config=dict(hidden_size=32, num_upsampling_stages=2, num_attention_heads=4),
    )
    # HF's init (std 0.02) makes a tiny model's outputs ~0: every score ≈ 0.25 and every mask logit ≈ 0, so a
    # threshold keeps all or nothing and every mask pixel sits on the 0.5 edge. std 0.2 spreads scores over
    # (0.3, 0.8) and gives mask logits of a few units, i.e. masks with real edges.
    for sub in (config, config.vision_config, config.vision_config.backbone_config, config.text_config,
                config.geometry_encoder_config, config.detr_encoder_config, config.detr_decoder_config,
                config.mask_decoder_config):
        sub.initializer_range = TINY_INIT_STD
    return config


def load(source: str, tiny: bool, seed: int, image_size: int, num_queries: int):
    from transformers import Sam3ImageProcessor, Sam3Model, Sam3Processor

    if not tiny:
        from transformers import AutoProcessor

        model = Sam3Model.from_pretrained(source, attn_implementation="eager")
        return model.eval(), AutoProcessor.from_pretrained(source)
    torch.manual_seed(seed)
    model = Sam3Model(tiny_config(image_size, num_queries)).eval()
    mask = 4 * (image_size // 14)
    image_processor = Sam3ImageProcessor(
        size={"height": image_size, "width": image_size}, mask_size={"height": mask, "width": mask}
    )
    tokenizer = clip_tokenizer(model.config.text_config.vocab_size, TEXT_LENGTH)
    return model, Sam3Processor(image_processor=image_processor, tokenizer=tokenizer)


class VisionEncoder(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, images):
        out = self.model.get_vision_features(pixel_values=images)
        feats, pos = out.fpn_hidden_states, out.fpn_position_encoding
        return feats[0], feats[1], feats[2], pos[2]


class TextEncoder(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        out = self.model.get_text_features(input_ids=input_ids, attention_mask=attention_mask, return_dict=True)
        return out.pooler_output, attention_mask.bool()


class Decoder(torch.nn.Module):
    """`Sam3Model.forward` from precomputed embeddings. Only the 3 levels forward reads are passed; the 4th level
    and the other position encodings are filled with zeros, which forward drops (`[:-1]`) or never reads."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, fpn_feat_0, fpn_feat_1, fpn_feat_2, fpn_pos_2, prompt_features, prompt_mask):
        from transformers.modeling_outputs import BaseModelOutputWithPooling
        from transformers.models.sam3.modeling_sam3 import Sam3VisionEncoderOutput

        feats = (fpn_feat_0, fpn_feat_1, fpn_feat_2, fpn_feat_2[..., ::2, ::2])
        zeros = [torch.zeros_like(f) for f in feats]
        pos = (zeros[0], zeros[1], fpn_pos_2, zeros[3])
        vision = Sam3VisionEncoderOutput(fpn_hidden_states=feats, fpn_position_encoding=pos)
        text = BaseModelOutputWithPooling(pooler_output=prompt_features)
        out = self.model(vision_embeds=vision, text_embeds=text, attention_mask=prompt_mask.long())
        return out.pred_masks, out.pred_boxes, out.pred_logits, out.presence_logits


def export_all(model, processor, out: Path) -> None:
    from PIL import Image

    model = copy.deepcopy(model)  # tracing may leave state in modules; `model` stays the reference
    size = processor.image_processor.size["height"]
    image = Image.new("RGB", (size, size), (120, 90, 60))
    inputs = processor(images=image, text="object", return_tensors="pt")
    pixel_values, ids, mask = inputs["pixel_values"], inputs["input_ids"], inputs["attention_mask"]
    batch = {0: "batch_size"}
    with torch.no_grad():
        vision = VisionEncoder(model)
        torch.onnx.export(
            vision, (pixel_values,), str(out / FILES["vision_encoder"]), input_names=["images"],
            output_names=VISION_OUTPUTS, dynamic_axes={n: batch for n in ["images", *VISION_OUTPUTS]},
            opset_version=OPSET, dynamo=False,
        )
        text = TextEncoder(model)
        torch.onnx.export(
            text, (ids, mask), str(out / FILES["text_encoder"]), input_names=["input_ids", "attention_mask"],
            output_names=TEXT_OUTPUTS, dynamic_axes={n: batch for n in ["input_ids", "attention_mask", *TEXT_OUTPUTS]},
            opset_version=OPSET, dynamo=False,
        )
        feats = vision(pixel_values)
        features, text_mask = text(ids, mask)
        torch.onnx.export(
            Decoder(model), (*feats, features, text_mask), str(out / FILES["decoder"]), input_names=DECODER_INPUTS,
            output_names=DECODER_OUTPUTS, dynamic_axes={n: batch for n in DECODER_INPUTS + DECODER_OUTPUTS},
            opset_version=OPSET, dynamo=False,
        )


def write_manifest(out: Path, processor, source: str) -> None:
    tokenizer = processor.tokenizer
    manifest = {
        "family": "sam3",
        "source": f"{source} via tools/export/sam3.py",
        "graphs": {
            "vision_encoder": {
                "file": FILES["vision_encoder"],
                "inputs": {"pixel_values": "images"},
                "outputs": {n: n for n in VISION_OUTPUTS},
            },
            "text_encoder": {
                "file": FILES["text_encoder"],
                "inputs": {"input_ids": "input_ids", "attention_mask": "attention_mask"},
                "outputs": {n: n for n in TEXT_OUTPUTS},
            },
            "decoder": {
                "file": FILES["decoder"],
                "inputs": {
                    **{n: n for n in VISION_OUTPUTS},
                    "text_features": "prompt_features",
                    "text_mask": "prompt_mask",
                },
                "outputs": {n: n for n in DECODER_OUTPUTS},
            },
        },
        "preprocessing": {"image_size": processor.image_processor.size["height"]},
        "config": {"box_format": "xyxy", "pad_token_id": tokenizer.pad_token_id, "max_text_length": TEXT_LENGTH},
    }
    (out / "focal-model.json").write_text(json.dumps(manifest, indent=2) + "\n")


def run_graphs(out: Path, pixel_values, input_ids, attention_mask) -> dict:
    """The three graphs chained with onnxruntime, as Focal chains them."""
    import onnxruntime as ort

    def session(name):
        return ort.InferenceSession(str(out / FILES[name]), providers=["CPUExecutionProvider"])

    vision = dict(zip(VISION_OUTPUTS, session("vision_encoder").run(VISION_OUTPUTS, {"images": pixel_values})))
    feeds = {"input_ids": input_ids, "attention_mask": attention_mask}
    text = dict(zip(TEXT_OUTPUTS, session("text_encoder").run(TEXT_OUTPUTS, feeds)))
    dec_feeds = {**vision, "prompt_features": text["text_features"], "prompt_mask": text["text_mask"]}
    return dict(zip(DECODER_OUTPUTS, session("decoder").run(DECODER_OUTPUTS, dec_feeds)))


def check(model, processor, out: Path, image, texts: list[str]) -> float:
    """Max |ORT − PyTorch| of the chained graphs over `texts` (mask logits included)."""
    import numpy as np

    worst = 0.0
    for text in texts:
        inputs = processor(images=image, text=text, return_tensors="pt")
        with torch.no_grad():
            ref = model(**inputs)
        got = run_graphs(out, inputs["pixel_values"].numpy(), inputs["input_ids"].numpy(),
                         inputs["attention_mask"].numpy())
        for name in DECODER_OUTPUTS:
            worst = max(worst, float(np.abs(got[name] - getattr(ref, name).numpy()).max()))
    return worst


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", help="hub id or local folder (ignored with --tiny except as the recorded source)")
    parser.add_argument("out", type=Path)
    parser.add_argument("--tiny", action="store_true", help="seeded random-weight tiny model, synthetic CLIP BPE")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--image-size", type=int, default=224, help="--tiny only")
    parser.add_argument("--num-queries", type=int, default=20, help="--tiny only")
    args = parser.parse_args(argv)

    import numpy as np
    from PIL import Image

    model, processor = load(args.model, args.tiny, args.seed, args.image_size, args.num_queries)
    args.out.mkdir(parents=True, exist_ok=True)
    export_all(model, processor, args.out)
    write_manifest(args.out, processor, f"tiny random (seed {args.seed})" if args.tiny else args.model)
    processor.save_pretrained(args.out)
    model.config.save_pretrained(args.out)
    probe = Image.fromarray(np.random.default_rng(0).integers(0, 256, (300, 200, 3), dtype=np.uint8))
    worst = check(model, processor, args.out, probe, ["cat", "red ball", "object"])
    print(f"exported {args.out}; max |ORT - PyTorch| = {worst:.2e}")


if __name__ == "__main__":
    main()
