"""Shared pieces of the reference generator: image loading as HF does, fixture encodings, metadata.

Fixture encodings (the Node side reads them in test/reference/support/fixture.reader.ts):
- ``npy_f32``: a float32 little-endian .npy, exact.
- ``levels_png8``: HF ``pixel_values`` undone to 8-bit levels, (x·std + mean)·255, stored as an RGB PNG.
  Used only when every level is an integer (the processor resized uint8 and rounded), checked on write.
- ``levels_png16``: the same levels ×256 in a 16-bit RGB PNG (quantisation ≤ 1/512 level), for
  processors that resize floats (DINOv3).
- ``range_png16``: a float map min–max quantised into a 16-bit gray PNG, value = min + v/65535·(max−min),
  with min/max in the JSON (quantisation ≤ (max−min)/131070). For HF's depth this *is* the PNG16 Focal
  would make from it, so one file serves both the depth and the PNG16 comparison.
PNGs keep the committed tree small (they compress; float32 noise does not).
"""

from __future__ import annotations

import hashlib
import json
import platform
import struct
import zlib
from pathlib import Path
from typing import Any

import numpy as np

REFERENCE_DIR = Path(__file__).resolve().parent
IMAGES_DIR = REFERENCE_DIR / "images"
FIXTURES_DIR = REFERENCE_DIR / "fixtures"

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


def image_files() -> list[Path]:
    index = json.loads((IMAGES_DIR / "index.json").read_text())
    return [IMAGES_DIR / entry["file"] for entry in index["images"]]


def load_image_like_hf(path: Path):
    """transformers.image_utils.load_image itself: PIL open, ImageOps.exif_transpose, convert('RGB')."""
    from transformers.image_utils import load_image

    return load_image(str(path))


def versions() -> dict[str, str]:
    import onnx
    import onnxruntime
    import PIL
    import torch
    import torchvision
    import transformers

    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "transformers": transformers.__version__,
        "onnx": onnx.__version__,
        "onnxruntime": onnxruntime.__version__,
        "pillow": PIL.__version__,
        "numpy": np.__version__,
    }


def processor_backend(processor) -> dict[str, str]:
    """Which implementation AutoImageProcessor returned: HF 5.x names the backend (torchvision or PIL)."""
    backend = getattr(processor, "backend", None)
    return {
        "class": type(processor).__name__,
        "module": type(processor).__module__,
        "backend": str(backend) if backend is not None else "unknown",
        "bases": ",".join(b.__name__ for b in type(processor).__mro__[1:4]),
    }


# ---------------------------------------------------------------- PNG writing (8/16-bit gray or RGB)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _filtered(rows: np.ndarray, bpp: int, kind: int) -> np.ndarray:
    """PNG filter `kind` (1 Sub, 2 Up, 3 Average, 4 Paeth) of every row; neighbours are raw bytes."""
    raw = rows.astype(np.int32)
    left = np.zeros_like(raw)
    left[:, bpp:] = raw[:, :-bpp]
    up = np.zeros_like(raw)
    up[1:] = raw[:-1]
    if kind == 1:
        pred = left
    elif kind == 2:
        pred = up
    elif kind == 3:
        pred = (left + up) // 2
    else:
        upleft = np.zeros_like(raw)
        upleft[1:, bpp:] = raw[:-1, :-bpp]
        p = left + up - upleft
        pa, pb, pc = np.abs(p - left), np.abs(p - up), np.abs(p - upleft)
        pred = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, up, upleft))
    return ((raw - pred) % 256).astype(np.uint8)


def write_png(path: Path, array: np.ndarray) -> None:
    """H×W (gray) or H×W×3 (RGB), uint8 or uint16 (big-endian, as PNG wants). One filter for all rows,
    whichever compresses best: depth maps are smooth and shrink a lot with Paeth."""
    if array.dtype not in (np.uint8, np.uint16):
        raise TypeError(f"PNG needs uint8 or uint16, got {array.dtype}")
    height, width = array.shape[:2]
    channels = 1 if array.ndim == 2 else array.shape[2]
    colour_type = {1: 0, 3: 2}[channels]
    depth = 8 if array.dtype == np.uint8 else 16
    rows = np.ascontiguousarray(array.astype(">u2" if depth == 16 else np.uint8)).view(np.uint8).reshape(height, -1)
    bpp = channels * depth // 8
    best = None
    for kind in (1, 2, 3, 4):
        body = np.hstack([np.full((height, 1), kind, np.uint8), _filtered(rows, bpp, kind)]).tobytes()
        packed = zlib.compress(body, 9)
        if best is None or len(packed) < len(best):
            best = packed
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", best) + _png_chunk(b"IEND", b"")
    )


# ---------------------------------------------------------------- fixture encodings


def save_npy(folder: Path, name: str, array: np.ndarray) -> dict[str, Any]:
    array = np.ascontiguousarray(array, dtype="<f4")
    np.save(folder / f"{name}.npy", array)
    return {"file": f"{folder.name}/{name}.npy", "encoding": "npy_f32", "shape": list(array.shape)}


def save_levels(
    folder: Path, name: str, pixel_values: np.ndarray, mean: list[float], std: list[float]
) -> dict[str, Any]:
    """pixel_values [3,H,W] → levels (x·std+mean)·255, as png8 when integral, else png16 (×256)."""
    chw = pixel_values.astype(np.float64)
    levels = (chw * np.array(std)[:, None, None] + np.array(mean)[:, None, None]) * 255.0
    hwc = levels.transpose(1, 2, 0)
    rounded = np.round(hwc)
    integral_error = float(np.abs(hwc - rounded).max())
    meta: dict[str, Any] = {"shape": list(pixel_values.shape), "mean": mean, "std": std}
    if integral_error < 1e-3:
        write_png(folder / f"{name}.png", np.clip(rounded, 0, 255).astype(np.uint8))
        meta.update({"encoding": "levels_png8", "quantisation_levels": integral_error})
    else:
        q = np.clip(np.round(hwc * 256.0), 0, 65535)
        write_png(folder / f"{name}.png", q.astype(np.uint16))
        meta.update({"encoding": "levels_png16", "quantisation_levels": float(np.abs(q / 256.0 - hwc).max())})
    meta["file"] = f"{folder.name}/{name}.png"
    return meta


def png16_levels(values: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Focal's encodePng16 (libs/vision/src/encoding/png16.encoder.ts): finite min/max, round-half-up."""
    v = values.astype(np.float32).astype(np.float64)
    finite = np.isfinite(v)
    lo = float(v[finite].min()) if finite.any() else 0.0
    hi = float(v[finite].max()) if finite.any() else 0.0
    out = np.zeros(v.shape, np.uint16)
    if hi > lo:
        # Math.round is round-half-up: floor(x + 0.5).
        scaled = np.floor((np.where(finite, v, lo) - lo) / (hi - lo) * 65535.0 + 0.5)
        out = np.clip(scaled, 0, 65535).astype(np.uint16)
    out[np.isposinf(v)] = 65535
    out[np.isnan(v) | np.isneginf(v)] = 0
    return out, lo, hi


def save_range_png16(folder: Path, name: str, values: np.ndarray) -> dict[str, Any]:
    levels, lo, hi = png16_levels(values)
    write_png(folder / f"{name}.png", levels)
    restored = lo + levels.astype(np.float64) / 65535.0 * (hi - lo)
    return {
        "file": f"{folder.name}/{name}.png",
        "encoding": "range_png16",
        "shape": list(values.shape),
        "min": lo,
        "max": hi,
        "max_abs": float(np.abs(values).max()),
        "quantisation_abs": float(np.abs(restored - values.astype(np.float64)).max()),
    }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_family_fixture(family: str, build) -> dict:
    """Rebuilds fixtures/<family>/ from scratch with `build(out_dir)` and writes its reference.json."""
    import shutil

    out_dir = FIXTURES_DIR / family
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    reference = build(out_dir)
    write_json(out_dir / "reference.json", reference)
    return reference


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")


def image_id(path: Path) -> str:
    return path.stem


def ort_outputs(onnx_path: Path, feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(names, feeds)))


def relative_error(actual: np.ndarray, expected: np.ndarray) -> float:
    scale = float(np.abs(expected).max()) or 1.0
    return float(np.abs(actual.astype(np.float64) - expected.astype(np.float64)).max() / scale)
