"""Depth Anything V2: a tiny random DepthAnythingForDepthEstimation (Dinov2 backbone, DPT head).

Preprocessing is HF's DPTImageProcessor as onnx-community/depth-anything-v2-small configures it (518,
keep aspect, multiple of 14, bicubic, ImageNet), and patch 14 keeps the real output sizes (640×480 →
518×686). The reference depth is HF's post_process_depth_estimation at the original size (bicubic).
"""

from __future__ import annotations

import types
from pathlib import Path

import numpy as np
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
    save_range_png16,
    sha256,
    versions,
    write_family_fixture,
    write_json,
)

SEED = 5
# Wider than the 0.02 default: at 0.02 the tiny net's depth varies by 1e-7 and every comparison is trivial.
INIT_RANGE = 0.2
FAMILY = "depth-anything"

BACKBONE_CONFIG = dict(
    image_size=518,
    patch_size=14,
    hidden_size=16,
    num_hidden_layers=2,
    num_attention_heads=2,
    intermediate_size=32,
    out_features=["stage1", "stage2"],
    reshape_hidden_states=False,
)

HEAD_CONFIG = dict(
    patch_size=14,
    reassemble_hidden_size=16,
    reassemble_factors=[2, 1],
    neck_hidden_sizes=[8, 16],
    fusion_hidden_size=12,
    head_hidden_size=8,
    depth_estimation_type="relative",
)

# onnx-community/depth-anything-v2-small's preprocessor_config.json.
PREPROCESSOR_CONFIG = {
    "image_processor_type": "DPTImageProcessor",
    "do_resize": True,
    "size": {"height": 518, "width": 518},
    "keep_aspect_ratio": True,
    "ensure_multiple_of": 14,
    "resample": 3,
    "do_rescale": True,
    "rescale_factor": 1 / 255,
    "do_normalize": True,
    "image_mean": IMAGENET_MEAN,
    "image_std": IMAGENET_STD,
    "do_pad": False,
}


def _head_forward_symbolic(self, hidden_states, patch_height, patch_width):
    """DepthAnythingDepthEstimationHead.forward without its int() casts, which make both exporters bake the
    output size of the example input into the graph. Same operations, same numbers, symbolic size."""
    hidden_states = hidden_states[self.head_in_index]
    predicted_depth = self.conv1(hidden_states)
    size = (patch_height * self.patch_size, patch_width * self.patch_size)
    predicted_depth = torch.nn.functional.interpolate(predicted_depth, size, mode="bilinear", align_corners=True)
    predicted_depth = self.conv2(predicted_depth)
    predicted_depth = self.activation1(predicted_depth)
    predicted_depth = self.conv3(predicted_depth)
    predicted_depth = self.activation2(predicted_depth) * self.max_depth
    return predicted_depth.squeeze(dim=1)


class _Depth(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model
        model.head.forward = types.MethodType(_head_forward_symbolic, model.head)

    def forward(self, pixel_values):
        return self.model(pixel_values=pixel_values).predicted_depth


def tiny_model():
    from transformers import DepthAnythingConfig, DepthAnythingForDepthEstimation, Dinov2Config

    torch.manual_seed(SEED)
    config = DepthAnythingConfig(
        backbone_config=Dinov2Config(**BACKBONE_CONFIG, initializer_range=INIT_RANGE),
        initializer_range=INIT_RANGE,
        **HEAD_CONFIG,
    )
    model = DepthAnythingForDepthEstimation(config).eval()
    # The head ends in conv3 → ReLU. With random signs most of the map would be clamped to a flat 0, which
    # would hide every interpolation error, so conv3's (seeded) weights are made positive and its bias 0.1:
    # the depth stays > 0 and varies (coefficient of variation about 0.5 on the test images).
    with torch.no_grad():
        model.head.conv3.weight.abs_()
        model.head.conv3.bias.fill_(0.1)
    return config, model


def build(out_dir: Path) -> dict:
    from transformers import AutoImageProcessor

    config, model = tiny_model()
    model_dir = out_dir / "model"
    (model_dir / "onnx").mkdir(parents=True)
    config.save_pretrained(model_dir)
    write_json(model_dir / "preprocessor_config.json", PREPROCESSOR_CONFIG)
    onnx_path = model_dir / "onnx" / "model.onnx"
    torch.onnx.export(
        _Depth(model).eval(),
        (torch.randn(1, 3, 518, 686),),
        str(onnx_path),
        input_names=["pixel_values"],
        output_names=["predicted_depth"],
        dynamic_shapes={
            "pixel_values": {
                0: torch.export.Dim("batch_size", min=1, max=64),
                2: 14 * torch.export.Dim("patch_height", min=1, max=512),
                3: 14 * torch.export.Dim("patch_width", min=1, max=512),
            }
        },
        opset_version=18,
        # The legacy tracer bakes the DPT head's output size (from pixel_values.shape) into the graph;
        # the dynamo exporter keeps it symbolic, so one graph serves every aspect ratio.
        dynamo=True,
        external_data=False,
    )
    write_json(
        model_dir / "focal-model.json",
        {
            "family": "depth_anything",
            "source": f"tools/reference (tiny random DepthAnythingForDepthEstimation, seed {SEED})",
            "graphs": {
                "model": {
                    "file": "onnx/model.onnx",
                    "inputs": {"pixel_values": "pixel_values"},
                    "outputs": {"predicted_depth": "predicted_depth"},
                }
            },
            "preprocessing": {"size": 518},
            "config": {"depth_kind": "relative_inverse_depth"},
        },
    )

    processor = AutoImageProcessor.from_pretrained(str(model_dir))
    images = []
    for path in image_files():
        folder = out_dir / image_id(path)
        folder.mkdir()
        image = load_image_like_hf(path)
        inputs = processor(images=image, return_tensors="pt")
        pixel_values = inputs["pixel_values"]
        with torch.no_grad():
            outputs = model(pixel_values=pixel_values)
        post = processor.post_process_depth_estimation(outputs, target_sizes=[(image.height, image.width)])
        # post-processing squeezes, so a 1×1 image comes back 0-d: restore (H, W).
        depth = post[0]["predicted_depth"].numpy().astype(np.float32).reshape(image.height, image.width)
        predicted = outputs.predicted_depth[0].numpy()
        onnx = ort_outputs(onnx_path, {"pixel_values": pixel_values.numpy()})["predicted_depth"][0]
        images.append(
            {
                "image": path.name,
                "id": image_id(path),
                "loaded_size": [image.height, image.width],
                "pixel_values": save_levels(folder, "pixel_values", pixel_values[0].numpy(), IMAGENET_MEAN, IMAGENET_STD),
                "predicted_depth": save_range_png16(folder, "predicted_depth", predicted),
                # HF's depth at the original size, quantised exactly as Focal's PNG16: this file is both.
                "depth": save_range_png16(folder, "depth", depth),
                "onnx_vs_torch": {"predicted_depth": relative_error(onnx, predicted)},
            }
        )
    return {
        "family": FAMILY,
        "seed": SEED,
        "model_class": type(model).__name__,
        "tiny_config": {"backbone": BACKBONE_CONFIG, "head": HEAD_CONFIG, "initializer_range": INIT_RANGE, "head.conv3": "weight.abs_(), bias 0.1"},
        "processor": processor_backend(processor),
        "post_processing": "DPTImageProcessor.post_process_depth_estimation (bicubic, align_corners=False)",
        "versions": versions(),
        "onnx": {"file": "model/onnx/model.onnx", "opset": 18, "sha256": sha256(onnx_path)},
        "images": images,
    }


def generate() -> dict:
    return write_family_fixture(FAMILY, build)


if __name__ == "__main__":
    import json

    print(json.dumps(generate()["processor"]))
