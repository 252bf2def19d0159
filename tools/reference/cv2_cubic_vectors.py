"""cv2 INTER_CUBIC test vectors for libs/vision/src/image/cv2-cubic.resizer.spec.ts.

Needs only opencv-python-headless==4.12.0.88 and numpy==2.2.6 (the pins of requirements-da3.txt and
requirements.txt); a venv with just those two is enough:

    python3.11 -m venv /tmp/cv2-venv && /tmp/cv2-venv/bin/pip install opencv-python-headless==4.12.0.88 numpy==2.2.6
    /tmp/cv2-venv/bin/python tools/reference/cv2_cubic_vectors.py

Writes libs/vision/fixtures/cv2-cubic.vectors.json: small seeded uint8 RGB images enlarged by cv2.resize(INTER_CUBIC),
the input and cv2's output base64-encoded. Only cases where a float64 Keys cubic rounded once disagrees with
cv2 on some value are kept, so every vector checks the float32 arithmetic and not just the kernel shape:
IPP cases (both sides >= 4, cv2.ipp.useIPP() is true in the wheel) and cases with a side < 4 (cv2's own
fixed-point kernel).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import cv2
import numpy as np

OUT = Path(__file__).resolve().parents[2] / "libs" / "vision" / "fixtures" / "cv2-cubic.vectors.json"
SEED = 20251
WANTED = {"ipp": 6, "fixed": 4}


def keys_float64(src: np.ndarray, width: int, height: int) -> np.ndarray:
    """Keys a = -0.75, half-pixel centres, clamped taps, all in float64, one rounding (half to even)."""

    def matrix(n: int, m: int) -> np.ndarray:
        a = -0.75
        weights = np.zeros((m, n))
        for i in range(m):
            p = (i + 0.5) * n / m - 0.5
            s = int(np.floor(p))
            t = p - s
            for k, x in enumerate([t + 1, t, 1 - t, 2 - t]):
                w = ((a + 2) * x - (a + 3)) * x * x + 1 if x <= 1 else ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
                weights[i, min(max(s - 1 + k, 0), n - 1)] += w
        return weights

    wy = matrix(src.shape[0], height)
    wx = matrix(src.shape[1], width)
    out = np.einsum("yi,xj,ijc->yxc", wy, wx, src.astype(np.float64))
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def main() -> None:
    assert cv2.__version__ == "4.12.0" and cv2.ipp.useIPP(), "needs the opencv-python-headless 4.12.0.88 wheel"
    rng = np.random.default_rng(SEED)
    found: dict[str, list[dict]] = {kind: [] for kind in WANTED}
    while any(len(found[k]) < n for k, n in WANTED.items()):
        kind = "ipp" if rng.random() < 0.5 else "fixed"
        if len(found[kind]) >= WANTED[kind]:
            continue
        if kind == "ipp":
            h, w = (int(v) for v in rng.integers(4, 24, 2))
        else:
            h, w = int(rng.integers(1, 4)), int(rng.integers(4, 24))
            if rng.random() < 0.5:
                h, w = w, h
        height, width = int(rng.integers(h + 1, 3 * h + 8)), int(rng.integers(w + 1, 3 * w + 8))
        src = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        out = cv2.resize(src, (width, height), interpolation=cv2.INTER_CUBIC)
        differs = int((out != keys_float64(src, width, height)).sum())
        if differs:
            found[kind].append(
                {
                    "kernel": kind,
                    "in": [w, h],
                    "out": [width, height],
                    "float64_differs": differs,
                    "src": base64.b64encode(src.tobytes()).decode(),
                    "expected": base64.b64encode(out.tobytes()).decode(),
                }
            )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "generator": "tools/reference/cv2_cubic_vectors.py",
        "seed": SEED,
        "opencv": cv2.__version__,
        "ipp": cv2.ipp.getIppVersion(),
        "numpy": np.__version__,
        "layout": "uint8 RGB interleaved, row-major; in/out are [width, height]",
        "cases": found["ipp"] + found["fixed"],
    }
    OUT.write_text(json.dumps(document, indent=1) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
