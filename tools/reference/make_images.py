"""Writes the fixed reference test images into tools/reference/images/.

Every image is a deterministic function of its name (seeded numpy, no clock, no randomness from the
OS), so running this again gives the same pixels. The files are committed anyway: the Node tests read the
committed bytes and never run Python. The names are stable: other families' reference tests use them too.

The content is textured on purpose: smooth gradients, sharp edges, a checkerboard and seeded noise, so
a resize that differs from torch/PIL shows up (a uniform image would hide every interpolation error).

    python tools/reference/make_images.py            # (re)writes the images and images/index.json
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np
from PIL import Image

IMAGES_DIR = Path(__file__).resolve().parent / "images"

# EXIF tag 0x0112 (Orientation). 6 = stored image must be rotated 90° clockwise to display.
EXIF_ORIENTATION_TAG = 0x0112


def texture(width: int, height: int, seed: int) -> np.ndarray:
    """H×W×3 uint8: gradients + sines + a checkerboard + a disc + seeded noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    u = x / max(width - 1, 1)
    v = y / max(height - 1, 1)
    phase = rng.uniform(0, 2 * np.pi, size=3)
    freq = rng.uniform(2.0, 9.0, size=3)
    channels = []
    for c in range(3):
        smooth = 0.5 + 0.25 * np.sin(2 * np.pi * freq[c] * u + phase[c]) * np.cos(2 * np.pi * (freq[c] / 2) * v)
        ramp = (u if c == 0 else v if c == 1 else 1 - u) * 0.35
        channels.append(smooth * 0.65 + ramp)
    img = np.stack(channels, axis=-1)
    cell = max(2, min(width, height) // 12)
    checker = ((x // cell + y // cell) % 2)[..., None]
    img = np.where(checker > 0, img * 0.85 + 0.1, img * 0.9)
    cx, cy, r = width * 0.62, height * 0.4, max(1.0, min(width, height) * 0.22)
    disc = ((x - cx) ** 2 + (y - cy) ** 2 < r * r)[..., None]
    img = np.where(disc, np.array([0.95, 0.15, 0.1]) * 0.8 + img * 0.2, img)
    # Mild noise: enough texture at every scale, little enough that the PNG fixtures stay small.
    img = img + rng.normal(0.0, 0.012, size=img.shape)
    return np.clip(np.round(img * 255), 0, 255).astype(np.uint8)


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=6)
    return buffer.getvalue()


def jpeg_bytes(image: Image.Image, exif: Image.Exif | None = None) -> bytes:
    buffer = io.BytesIO()
    # 4:4:4 (subsampling=0) so decoders need no chroma upsampling, where libjpeg builds may differ.
    kwargs = {"format": "JPEG", "quality": 95, "subsampling": 0}
    if exif is not None:
        kwargs["exif"] = exif.tobytes()
    image.save(buffer, **kwargs)
    return buffer.getvalue()


def build() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    files["landscape-640x480.png"] = png_bytes(Image.fromarray(texture(640, 480, 1)))
    files["hd-1280x720.png"] = png_bytes(Image.fromarray(texture(1280, 720, 2)))
    files["portrait-333x500.png"] = png_bytes(Image.fromarray(texture(333, 500, 3)))
    files["strip-17x900.png"] = png_bytes(Image.fromarray(texture(17, 900, 4)))
    files["pixel-1x1.png"] = png_bytes(Image.fromarray(np.array([[[200, 90, 30]]], dtype=np.uint8)))
    gray = texture(320, 240, 5).mean(axis=-1).round().astype(np.uint8)
    files["gray-320x240.jpg"] = jpeg_bytes(Image.fromarray(gray, mode="L"))
    # Stored 400×300 (landscape) with orientation 6: displayed (after exif_transpose) as 300×400 portrait.
    exif = Image.Exif()
    exif[EXIF_ORIENTATION_TAG] = 6
    files["exif-rotate90-400x300.jpg"] = jpeg_bytes(Image.fromarray(texture(400, 300, 6)), exif)
    rgb = texture(300, 200, 7)
    yy, xx = np.mgrid[0:200, 0:300]
    alpha = np.clip((xx * 255) // 299 + np.where((yy // 25) % 2 == 0, 0, -128), 0, 255).astype(np.uint8)
    files["rgba-300x200.png"] = png_bytes(Image.fromarray(np.dstack([rgb, alpha]), mode="RGBA"))
    return files


def main() -> None:
    IMAGES_DIR.mkdir(parents=True, exist_ok=True)
    files = build()
    index = []
    for name, data in files.items():
        (IMAGES_DIR / name).write_bytes(data)
        with Image.open(io.BytesIO(data)) as im:
            index.append(
                {
                    "file": name,
                    "stored_size": [im.width, im.height],
                    "mode": im.mode,
                    "exif_orientation": im.getexif().get(EXIF_ORIENTATION_TAG, 1),
                    "sha256": hashlib.sha256(data).hexdigest(),
                }
            )
    (IMAGES_DIR / "index.json").write_text(json.dumps({"images": index}, indent=2) + "\n")
    for entry in index:
        print(f"{entry['file']:28s} {entry['stored_size']} {entry['mode']} orientation={entry['exif_orientation']}")


if __name__ == "__main__":
    main()
