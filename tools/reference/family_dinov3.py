"""DINOv3: a tiny random DINOv3ViTModel (RoPE, 4 register tokens) and HF's outputs on every image.

The processor is HF's DINOv3ViTImageProcessor with its defaults (224×224, bilinear + antialias,
rescale → resize → normalize), so Focal's real preprocessing path is what gets compared. Patch 16 at 224
gives the real 14×14 grid: 1 CLS + 4 registers + 196 patch tokens, like dinov3-vits16.
"""

from __future__ import annotations

from pathlib import Path

import torch

from reference_common import (
    IMAGENET_MEAN,
    IMAGENET_STD,
    image_files,
    image_id,
    load_image_like_hf,
    ort_outputs,
    processor_backend,
    relative_error,
    save_levels,
    save_npy,
    sha256,
    versions,
    write_family_fixture,
    write_json,
)

SEED = 3
FAMILY = "dinov3"

TINY_CONFIG = dict(
    image_size=224,
    patch_size=16,
    hidden_size=32,
    intermediate_size=37,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_register_tokens=4,
    # A wider init than the 0.02 default, so outputs are not just the final LayerNorm's bias.
    initializer_range=0.2,
)

PREPROCESSOR_CONFIG = {
    "image_processor_type": "DINOv3ViTImageProcessor",
    "do_resize": True,
    "size": {"height": 224, "width": 224},
    "resample": 2,
    "do_rescale": True,
    "rescale_factor": 1 / 255,
    "do_normalize": True,
    "image_mean": IMAGENET_MEAN,
    "image_std": IMAGENET_STD,
}


class _Outputs(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, pixel_values):
        out = self.model(pixel_values=pixel_values)
        return out.last_hidden_state, out.pooler_output


def build(out_dir: Path) -> dict:
    from transformers import AutoImageProcessor, DINOv3ViTConfig, DINOv3ViTModel

    torch.manual_seed(SEED)
    config = DINOv3ViTConfig(**TINY_CONFIG)
    model = DINOv3ViTModel(config).eval()

    model_dir = out_dir / "model"
    (model_dir / "onnx").mkdir(parents=True)
    config.save_pretrained(model_dir)
    write_json(model_dir / "preprocessor_config.json", PREPROCESSOR_CONFIG)
    onnx_path = model_dir / "onnx" / "model.onnx"
    dummy = torch.randn(1, 3, 224, 224)
    torch.onnx.export(
        _Outputs(model).eval(),
        (dummy,),
        str(onnx_path),
        input_names=["pixel_values"],
        output_names=["last_hidden_state", "pooler_output"],
        dynamic_axes={
            "pixel_values": {0: "batch_size", 2: "height", 3: "width"},
            "last_hidden_state": {0: "batch_size", 1: "sequence_length"},
            "pooler_output": {0: "batch_size"},
        },
        opset_version=18,
        dynamo=False,
    )
    write_json(
        model_dir / "focal-model.json",
        {
            "family": "dinov3",
            "source": f"tools/reference (tiny random DINOv3ViTModel, seed {SEED})",
            "graphs": {
                "model": {
                    "file": "onnx/model.onnx",
                    "inputs": {"pixel_values": "pixel_values"},
                    "outputs": {"last_hidden_state": "last_hidden_state", "pooler_output": "pooler_output"},
                }
            },
            "preprocessing": {"size": {"height": 224, "width": 224}},
            "config": {"num_register_tokens": 4, "patch_size": 16},
        },
    )

    processor = AutoImageProcessor.from_pretrained(str(model_dir))
    images = []
    for path in image_files():
        folder = out_dir / image_id(path)
        folder.mkdir()
        image = load_image_like_hf(path)
        pixel_values = processor(images=image, return_tensors="pt")["pixel_values"]
        with torch.no_grad():
            out = model(pixel_values=pixel_values)
        hidden = out.last_hidden_state[0].numpy()
        pooled = out.pooler_output[0].numpy()
        onnx = ort_outputs(onnx_path, {"pixel_values": pixel_values.numpy()})
        images.append(
            {
                "image": path.name,
                "id": image_id(path),
                "loaded_size": [image.height, image.width],
                "pixel_values": save_levels(folder, "pixel_values", pixel_values[0].numpy(), IMAGENET_MEAN, IMAGENET_STD),
                "last_hidden_state": save_npy(folder, "last_hidden_state", hidden),
                "pooler_output": save_npy(folder, "pooler_output", pooled),
                "onnx_vs_torch": {
                    "last_hidden_state": relative_error(onnx["last_hidden_state"][0], hidden),
                    "pooler_output": relative_error(onnx["pooler_output"][0], pooled),
                },
            }
        )
    return {
        "family": FAMILY,
        "seed": SEED,
        "model_class": type(model).__name__,
        "tiny_config": TINY_CONFIG,
        "processor": processor_backend(processor),
        "versions": versions(),
        "onnx": {"file": "model/onnx/model.onnx", "opset": 18, "sha256": sha256(onnx_path)},
        "images": images,
    }


def generate() -> dict:
    return write_family_fixture(FAMILY, build)


if __name__ == "__main__":
    import json

    print(json.dumps(generate()["processor"]))
