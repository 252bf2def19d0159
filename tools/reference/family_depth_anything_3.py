"""Depth Anything 3: a tiny random DepthAnything3Net from the depth-anything-3 package (0.1.1).

There is no transformers class for DA3, so the oracle is the package itself: its ``InputProcessor``
(process_res 504, upper_bound_resize: longest side → 504 with cv2 INTER_CUBIC/INTER_AREA, then each side
to the nearest multiple of 14 with a second cv2 resize, ImageNet normalisation), its network
(``DepthAnything3Net`` built by ``create_object`` from the da3-small config, shrunk: a 32-wide, 4-block
DINOv2 instead of ViT-S, smaller DualDPT head and camera encoder/decoder) and its ``OutputProcessor``.
The net runs in fp32 (``model.model(...)``), not under the package's fp16/bf16 autocast, so the ONNX export
is compared with the same arithmetic. Images are loaded with HF's load_image (EXIF transposed), as Focal
does for every family; the package's own loader does not transpose EXIF.
Depth at the original size is the package's depth resized like HF's post_process_depth_estimation
(bicubic, align_corners=False), and intrinsics at the original size use the package's own _resize_ixt.
Export-only rewrites that keep H and W symbolic are in export_onnx; onnx_vs_torch checks them per image.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

import da3_imports
from reference_common import (
    IMAGENET_MEAN,
    IMAGENET_STD,
    image_files,
    image_id,
    load_image_like_hf,
    ort_outputs,
    relative_error,
    save_levels,
    save_range_png16,
    sha256,
    versions,
    write_family_fixture,
    write_json,
)

SEED = 7
FAMILY = "depth-anything-3"
PROCESS_RES = 504

TINY = {
    # interpolate_offset 0 makes the position-embedding resize take its size= branch, which exporters keep
    # symbolic; the default 0.1 offset's scale_factor= is a float computed from the example's size.
    "vit": {"embed_dim": 32, "depth": 4, "num_heads": 2, "mlp_ratio": 2, "interpolate_offset": 0.0},
    "net": {"out_layers": [0, 1, 2, 3], "alt_start": 2, "qknorm_start": 2, "rope_start": 2},
    # pos_embed off: the head's UV position embedding is computed with Python floats from the aspect ratio
    # (create_uv_grid), which an exporter records for the example's aspect ratio only.
    "head": {"dim_in": 64, "features": 16, "out_channels": [8, 16, 32, 64], "pos_embed": False},
    "cam_enc": {"dim_out": 32},
    "cam_dec": {"dim_in": 64},
    # fc_fov ends in a ReLU; random weights would give a field of view of ~0 (fx ≈ 1e8). A bias of 1 rad
    # keeps the predicted intrinsics in a camera-like range (about 57°) while still varying per image.
    "cam_dec.fc_fov.bias": 1.0,
    # The depth is exp(logit); with the default init the logits stay near 0 and the depth spans only ~5% of
    # its value, so a 16-bit PNG (min–max over that sliver) would amplify float noise 20×. Scaling the final
    # 1×1 conv spreads the (seeded) logits so the depth spans a camera-like range.
    "head.output_conv2[2].weight×": 12.0,
}


def tiny_net():
    da3_imports.install()
    import depth_anything_3.model.dinov2.dinov2 as dinov2_module
    from depth_anything_3.cfg import create_object, load_config
    from depth_anything_3.model.dinov2.vision_transformer import DinoVisionTransformer
    from depth_anything_3.registry import MODEL_REGISTRY

    def tiny_vit(patch_size=16, num_register_tokens=0, depth=12, **kwargs):
        return DinoVisionTransformer(
            patch_size=patch_size, num_register_tokens=num_register_tokens, **TINY["vit"], **kwargs
        )

    # DinoV2 picks vit_small from its module globals by name; the shrunk ViT takes its place.
    original = dinov2_module.vit_small
    dinov2_module.vit_small = tiny_vit
    try:
        config = load_config(MODEL_REGISTRY["da3-small"])
        for section in ("net", "head", "cam_enc", "cam_dec"):
            for key, value in TINY[section].items():
                config[section][key] = value
        torch.manual_seed(SEED)
        net = create_object(config).eval()
    finally:
        dinov2_module.vit_small = original
    with torch.no_grad():
        net.cam_dec.fc_fov[0].bias.fill_(TINY["cam_dec.fc_fov.bias"])
        net.head.scratch.output_conv2[2].weight.mul_(TINY["head.output_conv2[2].weight×"])
    return net


class _Single(torch.nn.Module):
    """One view per image: pixel_values [B,3,H,W] → depth, confidence [B,H,W], intrinsics [B,3,3]."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, pixel_values):
        out = self.net(pixel_values[:, None])
        return out["depth"][:, 0], out["depth_conf"][:, 0], out["intrinsics"][:, 0], out["extrinsics"][:, 0]


OUTPUT_NAMES = ["predicted_depth", "confidence", "intrinsics", "extrinsics"]


def _positions_uncached(self, batch_size, height, width, device):
    """PositionGetter.__call__ without its (height, width) cache, which torch.export cannot key with
    symbolic sizes, and with the cartesian product spelled with expand (ONNX has no cartesian_prod).
    Same tensor: every (row, column) of the patch grid, row-major."""
    rows = torch.arange(height, device=device)[:, None].expand(height, width).reshape(-1)
    cols = torch.arange(width, device=device)[None, :].expand(height, width).reshape(-1)
    positions = torch.stack((rows, cols), dim=-1)
    return positions.view(1, height * width, 2).expand(batch_size, -1, -1).clone()


def _rope_forward_direct(self, tokens, positions):
    """RotaryPositionEmbedding2D.forward computing cos/sin from the positions directly instead of looking
    them up in a table sized by int(positions.max()), a data-dependent size torch.export refuses. The
    angles are the same float32 products position·inv_freq, so the numbers are the same."""
    feature_dim = tokens.size(-1) // 2
    exponents = torch.arange(0, feature_dim, 2, device=tokens.device).float() / feature_dim
    inv_freq = 1.0 / (self.base_frequency**exponents)

    def rope_1d(features, axis_positions):
        angles = (axis_positions.to(inv_freq.dtype)[..., None] * inv_freq).to(tokens.dtype)
        angles = torch.cat((angles, angles), dim=-1)
        cos = angles.cos()[:, None, :, :]
        sin = angles.sin()[:, None, :, :]
        return features * cos + self._rotate_features(features) * sin

    vertical, horizontal = tokens.chunk(2, dim=-1)
    return torch.cat((rope_1d(vertical, positions[..., 0]), rope_1d(horizontal, positions[..., 1])), dim=-1)


def _head_forward_impl_symbolic():
    """DualDPT._forward_impl with its output size computed in integers: `int(ph * patch / down_ratio)`
    makes the TorchScript exporter bake the example's size; `ph * patch // down_ratio` is the same number
    for the integer down_ratio (1) and stays symbolic. Built from the package's own source, one line changed."""
    import inspect
    import textwrap

    from depth_anything_3.model import dualdpt

    source = textwrap.dedent(inspect.getsource(dualdpt.DualDPT._forward_impl))
    for axis in ("ph", "pw"):
        old = f"int({axis} * self.patch_size / self.down_ratio)"
        if old not in source:
            raise RuntimeError(f"DualDPT._forward_impl changed: {old!r} not found")
        source = source.replace(old, f"{axis} * self.patch_size // self.down_ratio")
    namespace: dict = {}
    exec(compile(source, dualdpt.__file__, "exec"), vars(dualdpt), namespace)
    return namespace["_forward_impl"]


def _interpolate_plain(x, size=None, scale_factor=None, mode="bilinear", align_corners=True):
    """head_utils.custom_interpolate without its INT_MAX chunking branch (never taken at these sizes), whose
    size arithmetic makes torch.export record the fusion blocks' output sizes as constants."""
    if size is None:
        return torch.nn.functional.interpolate(x, scale_factor=scale_factor, mode=mode, align_corners=align_corners)
    return torch.nn.functional.interpolate(x, size=size, mode=mode, align_corners=align_corners)


def export_onnx(net, onnx_path: Path) -> None:
    """torch.export (dynamo) with three export-only rewrites of the package's code (same numbers in PyTorch,
    checked): RoPE positions without their (h, w) cache, RoPE cos/sin without a data-dependent table size,
    and the head's output size in integers. Without them torch.export cannot keep H and W symbolic.

    A fourth swaps the fusion blocks' custom_interpolate for plain F.interpolate (see _interpolate_plain)."""
    from depth_anything_3.model.dinov2.layers import rope

    from depth_anything_3.model import dpt, dualdpt

    chunked = (dpt.custom_interpolate, dualdpt.custom_interpolate)
    dpt.custom_interpolate = dualdpt.custom_interpolate = _interpolate_plain
    cached = rope.PositionGetter.__call__
    table_forward = rope.RotaryPositionEmbedding2D.forward
    head_forward = dualdpt.DualDPT._forward_impl
    rope.PositionGetter.__call__ = _positions_uncached
    rope.RotaryPositionEmbedding2D.forward = _rope_forward_direct
    dualdpt.DualDPT._forward_impl = _head_forward_impl_symbolic()
    try:
        torch.onnx.export(
            _Single(net).eval(),
            (torch.randn(1, 3, 378, 504),),
            str(onnx_path),
            input_names=["pixel_values"],
            output_names=OUTPUT_NAMES,
            dynamic_shapes={
                "pixel_values": {
                    0: torch.export.Dim("batch_size", min=1, max=64),
                    2: 14 * torch.export.Dim("patch_height", min=1, max=512),
                    3: 14 * torch.export.Dim("patch_width", min=1, max=512),
                }
            },
            opset_version=18,
            dynamo=True,
            external_data=False,
        )
    finally:
        rope.PositionGetter.__call__ = cached
        rope.RotaryPositionEmbedding2D.forward = table_forward
        dualdpt.DualDPT._forward_impl = head_forward
        dpt.custom_interpolate, dualdpt.custom_interpolate = chunked


def build(out_dir: Path) -> dict:
    da3_imports.install()
    import depth_anything_3
    from depth_anything_3.utils.io.input_processor import InputProcessor
    from depth_anything_3.utils.io.output_processor import OutputProcessor

    net = tiny_net()
    model_dir = out_dir / "model"
    (model_dir / "onnx").mkdir(parents=True)
    onnx_path = model_dir / "onnx" / "model.onnx"
    export_onnx(net, onnx_path)
    write_json(
        model_dir / "focal-model.json",
        {
            "family": "depth_anything",
            "source": f"tools/reference (tiny random DepthAnything3Net from depth-anything-3 0.1.1, seed {SEED})",
            # Everything else (graph names, preprocessing, depth kind) comes from the DA3 default manifest.
            "config": {"variant": "v3"},
        },
    )

    inputs = InputProcessor()
    outputs = OutputProcessor()
    images = []
    for path in image_files():
        folder = out_dir / image_id(path)
        folder.mkdir()
        image = load_image_like_hf(path)
        pixel_values, _, _ = inputs([image], None, None, PROCESS_RES, "upper_bound_resize", num_workers=1)
        with torch.no_grad():
            raw = net(pixel_values[None].float())
        prediction = outputs(raw)
        depth = prediction.depth[0]
        conf = prediction.conf[0]
        k_processed = prediction.intrinsics[0].astype(np.float64)
        height, width = depth.shape
        depth_full = torch.nn.functional.interpolate(
            torch.from_numpy(depth)[None, None], size=(image.height, image.width), mode="bicubic", align_corners=False
        )[0, 0].numpy()
        k_original = inputs._resize_ixt(k_processed, width, height, image.width, image.height)
        onnx = ort_outputs(onnx_path, {"pixel_values": pixel_values.numpy()})
        images.append(
            {
                "image": path.name,
                "id": image_id(path),
                "loaded_size": [image.height, image.width],
                "pixel_values": save_levels(folder, "pixel_values", pixel_values[0].numpy(), IMAGENET_MEAN, IMAGENET_STD),
                "predicted_depth": save_range_png16(folder, "predicted_depth", depth),
                "depth": save_range_png16(folder, "depth", depth_full.astype(np.float32)),
                # At the network's size only (an upsampled copy would double the fixture for no new check).
                "confidence": save_range_png16(folder, "confidence", conf),
                "intrinsics_processed": k_processed.tolist(),
                "intrinsics": {
                    "fx": float(k_original[0, 0]),
                    "fy": float(k_original[1, 1]),
                    "cx": float(k_original[0, 2]),
                    "cy": float(k_original[1, 2]),
                },
                "onnx_vs_torch": {
                    "predicted_depth": relative_error(onnx["predicted_depth"][0], depth),
                    "confidence": relative_error(onnx["confidence"][0], conf),
                    "intrinsics": relative_error(onnx["intrinsics"][0], k_processed),
                },
            }
        )
    return {
        "family": FAMILY,
        "seed": SEED,
        "model_class": type(net).__name__,
        "package": f"depth-anything-3 {getattr(depth_anything_3, '__version__', '0.1.1')}",
        "tiny_config": TINY,
        "processor": {"class": "InputProcessor", "module": InputProcessor.__module__, "backend": "cv2",
                      "process_res": str(PROCESS_RES), "process_res_method": "upper_bound_resize"},
        "post_processing": "OutputProcessor; depth/confidence to original size with torch bicubic (align_corners=False)",
        "versions": versions(),
        "onnx": {"file": "model/onnx/model.onnx", "opset": 18, "sha256": sha256(onnx_path), "outputs": OUTPUT_NAMES},
        "images": images,
    }


def generate() -> dict:
    return write_family_fixture(FAMILY, build)


if __name__ == "__main__":
    import json

    print(json.dumps(generate()["processor"]))
