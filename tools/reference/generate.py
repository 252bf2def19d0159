"""Regenerates the reference fixtures: one command, deterministic (seeded models, pinned versions).

    ~/.cache/focal/reference-venv/bin/python tools/reference/generate.py            # images + every family
    ~/.cache/focal/reference-venv/bin/python tools/reference/generate.py dinov3     # one family

Families: dinov3, depth-anything, depth-anything-3 (needs requirements-da3.txt).
Grounding DINO and SAM3 have their own generators beside this one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# Deterministic and single-threaded: the same floats on every run of the same machine type.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("PYTHONHASHSEED", "0")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("families", nargs="*", default=["dinov3", "depth-anything", "depth-anything-3"])
    parser.add_argument("--no-images", action="store_true", help="keep tools/reference/images as they are")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    if not args.no_images:
        import make_images

        make_images.main()
    for family in args.families:
        if family == "dinov3":
            import family_dinov3 as module
        elif family == "depth-anything":
            import family_depth_anything as module
        elif family == "depth-anything-3":
            import family_depth_anything_3 as module
        else:
            raise SystemExit(f"unknown family {family!r}")
        reference = module.generate()
        worst = max(max(image["onnx_vs_torch"].values()) for image in reference["images"])
        print(json.dumps({"family": family, "processor": reference["processor"], "onnx_vs_torch_max": worst}))


if __name__ == "__main__":
    main()
