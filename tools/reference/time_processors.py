"""Times HF's image processors (the fixtures' own configs) per image, to set beside Focal's preprocessing
time from `npm run bench -- --only antialias-resize`. Decoded PIL images in, pixel_values out (no decode),
one thread, median of N runs after warm-up.

    ~/.cache/focal/reference-venv/bin/python tools/reference/time_processors.py            # 30 runs
    ~/.cache/focal/reference-venv/bin/python tools/reference/time_processors.py --runs 100 --out /tmp/t.json

Prints the JSON and writes it to `processor-times.json` beside this file (or `--out`). The bench reads that
file when it exists and prints Focal ÷ HF per family and size; it is another process at another time, so the
file records when, where (CPU, load average) and with which versions and processor backend it was measured.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reference_common import (  # noqa: E402
    FIXTURES_DIR,
    IMAGES_DIR,
    REFERENCE_DIR,
    load_image_like_hf,
    processor_backend,
    versions,
    write_json,
)

# The families and images the bench's antialias-resize cases time (same files, same sizes).
FAMILIES = ("dinov3", "depth-anything")
IMAGES = ("landscape-640x480.png", "hd-1280x720.png")
WARMUP = 3


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def time_case(processor, image, runs: int) -> dict:
    for _ in range(WARMUP):
        processor(images=image, return_tensors="pt")
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        out = processor(images=image, return_tensors="pt")
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "pixel_values_shape": list(out["pixel_values"].shape),
        "median_ms": round(statistics.median(samples), 3),
        "p90_ms": round(percentile(samples, 0.9), 3),
        "min_ms": round(min(samples), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--out", type=Path, default=REFERENCE_DIR / "processor-times.json")
    args = parser.parse_args()

    import torch
    from transformers import AutoImageProcessor

    torch.set_num_threads(1)
    load_at_start = os.getloadavg()
    cases = []
    for family in FAMILIES:
        processor = AutoImageProcessor.from_pretrained(str(FIXTURES_DIR / family / "model"))
        for name in IMAGES:
            image = load_image_like_hf(IMAGES_DIR / name)
            cases.append(
                {
                    "family": family,
                    "image": name,
                    "size": [image.width, image.height],
                    "processor": processor_backend(processor),
                    **time_case(processor, image, args.runs),
                }
            )
    result = {
        "what": "HF image processor call per decoded PIL image (processor(images=..., return_tensors='pt'))",
        "measured_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(["python tools/reference/time_processors.py", *sys.argv[1:]]),
        "machine": {"cpu": cpu_model(), "nproc": os.cpu_count(), "platform": platform.platform()},
        "load_average_start": [round(x, 2) for x in load_at_start],
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
        "torch_threads": torch.get_num_threads(),
        "warmup": WARMUP,
        "runs": args.runs,
        "versions": versions(),
        "cases": cases,
    }
    write_json(args.out, result)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
