"""Times HF's image processors (the fixtures' own configs) per image, to set beside Focal's preprocessing
time from `npm run bench -- --only antialias-resize`. Decoded PIL images in, pixel_values out (no decode),
one thread, median of N runs after warm-up.

    ~/.cache/focal/reference-venv/bin/python tools/reference/time_processors.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reference_common import FIXTURES_DIR, IMAGES_DIR, load_image_like_hf  # noqa: E402


def main(runs: int = 30) -> None:
    import torch
    from transformers import AutoImageProcessor

    torch.set_num_threads(1)
    out = []
    for family in ("dinov3", "depth-anything"):
        processor = AutoImageProcessor.from_pretrained(str(FIXTURES_DIR / family / "model"))
        for name in ("landscape-640x480.png", "hd-1280x720.png"):
            image = load_image_like_hf(IMAGES_DIR / name)
            for _ in range(3):
                processor(images=image, return_tensors="pt")
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                processor(images=image, return_tensors="pt")
                samples.append((time.perf_counter() - started) * 1000)
            out.append(
                {
                    "family": family,
                    "image": f"{image.width}x{image.height}",
                    "processor": type(processor).__name__,
                    "median_ms": round(statistics.median(samples), 3),
                }
            )
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
