"""Grounding DINO fixtures: the export recipe run on a seeded tiny model, and HF's answers to compare Focal with.

    python tools/reference/make_grounding_dino.py        # rewrites tools/reference/fixtures/grounding-dino/

Writes
  recipe/             tools/export/grounding_dino.py --tiny: mask and position ids as graph inputs
  traced-one-phrase/  the same weights traced with the 4.x mask loop on "cat." (as the public export behaves)
  reference.json      per case (image × prompts): HF processor → PyTorch → post_process_grounded_object_detection,
                      plus HF's text mask / position ids, and what ORT gives for both graphs (so a failure in
                      Focal's test can be told apart from a failure of the graph)

The weights are random, so thresholds are chosen here (and recorded) such that every case keeps a non-trivial set
of boxes, no score sits within MARGIN of the threshold (a 1e-5 wobble cannot flip a box in or out), and HF's
label names exactly one prompt for as many kept boxes as possible (single-word prompts), so "same labels" compares
Focal's phrase with the prompt HF's decoded text names.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "export"))

import grounding_dino as recipe  # noqa: E402
from reference_common import FIXTURES_DIR, IMAGES_DIR, load_image_like_hf, processor_backend, versions, write_json  # noqa: E402

OUT = FIXTURES_DIR / "grounding-dino"
SEED = 0
MAX_TEXT_LEN = 16
NUM_QUERIES = 20
# 640×480 needs no resize at shortest_edge 480 (model parity alone); 333×500 is resized (adds resize parity).
SIZES = (480, 800)
IMAGES = ["landscape-640x480.png", "portrait-333x500.png"]
PROMPTS = {"one": ["cat"], "two": ["cat", "dog"], "three": ["cat", "dog", "car"]}
TRACED_DUMMY = "cat."
MARGIN = 2e-3


def merged(prompts: list[str]) -> str:
    """HF `_merge_candidate_labels_text`, as Focal builds the text."""
    return ". ".join(p.strip().lower() for p in prompts) + "."


def run_hf(model, processor, image, prompts, box_threshold, text_threshold):
    inputs = processor(images=image, text=merged(prompts), return_tensors="pt")
    with torch.no_grad():
        outputs = model(**inputs)
    result = processor.post_process_grounded_object_detection(
        outputs, inputs["input_ids"], threshold=box_threshold, text_threshold=text_threshold,
        target_sizes=[(image.height, image.width)],
    )[0]
    return inputs, outputs, result


def ort_detections(graph_dir: Path, inputs, with_mask: bool, model, processor, image, box_t, text_t):
    """The graph run by onnxruntime (Python), post-processed by HF: what Focal should reproduce from that graph."""
    import onnxruntime as ort

    feeds = {name: inputs[name].numpy() for name in recipe.INPUTS}
    if with_mask:
        mask, positions = recipe.text_mask_inputs(model, inputs["input_ids"])
        feeds["text_self_attention_mask"] = mask.numpy()
        feeds["position_ids"] = positions.numpy()
    session = ort.InferenceSession(str(graph_dir / "model.onnx"), providers=["CPUExecutionProvider"])
    logits, boxes = session.run(recipe.OUTPUTS, feeds)

    class Out:
        pass

    out = Out()
    out.logits, out.pred_boxes = torch.from_numpy(logits), torch.from_numpy(boxes)
    result = processor.post_process_grounded_object_detection(
        out, inputs["input_ids"], threshold=box_t, text_threshold=text_t, target_sizes=[(image.height, image.width)]
    )[0]
    return logits, boxes, result


def detections(result) -> list[dict]:
    return [
        {"score": float(s), "box": [float(v) for v in b], "label": label}
        for s, b, label in zip(result["scores"], result["boxes"], result["text_labels"])
    ]


def with_prompt_words(dets: list[dict], outputs, inputs, text_t, prompts, tokenizer, box_t) -> list[dict]:
    """Adds to each HF detection the prompts its label names (HF keeps query order; re-found by score)."""
    probs = torch.sigmoid(outputs.logits)[0].numpy()
    ids = inputs["input_ids"][0].numpy()
    kept = [q for q in range(len(probs)) if probs[q].max() > box_t]
    assert len(kept) == len(dets)
    for det, q in zip(dets, kept):
        assert abs(det["score"] - float(probs[q].max())) < 1e-6
        det["prompt_words"] = prompt_words(probs[q], ids, text_t, prompts, tokenizer)
    return dets


def prompt_words(probs_row: np.ndarray, ids: np.ndarray, text_t: float, prompts: list[str], tokenizer) -> list[str]:
    """The prompts among the tokens HF's label decodes (above text_t, position 0 and the last one excluded)."""
    words = []
    for t in range(1, min(len(ids), len(probs_row) - 1)):
        if probs_row[t] > text_t:
            token = tokenizer.convert_ids_to_tokens(int(ids[t]))
            if token in prompts and token not in words:
                words.append(token)
    return words


def choose_thresholds(model, processor, images, prompts):
    """(box, text) thresholds for one prompt set, over all images: ≥3 kept and ≥3 dropped per image, MARGIN clear of
    every score and of every kept box's token probabilities, and as many kept boxes as possible whose HF label names
    exactly one prompt (at least one per image), so the label comparison is never vacuous. Random weights often put
    the highest probability on [CLS] or ".", so not every label can name a prompt. Fails loudly if none fits."""
    rows = []
    for image in images:
        inputs = processor(images=image, text=merged(prompts), return_tensors="pt")
        with torch.no_grad():
            rows.append((torch.sigmoid(model(**inputs).logits)[0].numpy(), inputs["input_ids"][0].numpy()))
    best = None
    for box_t in np.arange(0.30, 0.95, 0.005):
        for text_t in np.arange(0.30, 0.95, 0.005):
            ok, single = True, 0
            for probs, ids in rows:
                scores = probs.max(-1)
                kept = np.nonzero(scores > box_t)[0]
                if len(kept) < 3 or len(scores) - len(kept) < 3 or np.abs(scores - box_t).min() < MARGIN:
                    ok = False
                    break
                if np.abs(probs[kept][:, : len(ids)] - text_t).min() < MARGIN:
                    ok = False
                    break
                here = sum(len(prompt_words(probs[q], ids, text_t, prompts, processor.tokenizer)) == 1 for q in kept)
                if here == 0:
                    ok = False
                    break
                single += here
            if ok and (best is None or single > best[2]):
                best = (float(round(box_t, 3)), float(round(text_t, 3)), single)
    if best is None:
        raise SystemExit(f"no thresholds give a meaningful comparison for {prompts}; try another SEED")
    return best[0], best[1]


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    common = ["--tiny", "--seed", str(SEED), "--max-text-len", str(MAX_TEXT_LEN), "--num-queries", str(NUM_QUERIES),
              "--shortest-edge", str(SIZES[0]), "--longest-edge", str(SIZES[1])]
    recipe.main(["tiny", str(OUT / "recipe"), *common])
    recipe.main(["tiny", str(OUT / "traced-one-phrase"), *common, "--traced-one-phrase", "--dummy-text", TRACED_DUMMY])

    model, processor = recipe.load("tiny", True, SEED, MAX_TEXT_LEN, NUM_QUERIES, SIZES)
    images = {name: load_image_like_hf(IMAGES_DIR / name) for name in IMAGES}
    cases = []
    for key, prompts in PROMPTS.items():
        box_t, text_t = choose_thresholds(model, processor, list(images.values()), prompts)
        for name, image in images.items():
            inputs, outputs, hf = run_hf(model, processor, image, prompts, box_t, text_t)
            mask, positions = recipe.text_mask_inputs(model, inputs["input_ids"])
            r_logits, r_boxes, r_result = ort_detections(
                OUT / "recipe", inputs, True, model, processor, image, box_t, text_t
            )
            t_logits, t_boxes, t_result = ort_detections(
                OUT / "traced-one-phrase", inputs, False, model, processor, image, box_t, text_t
            )
            finite = np.isfinite(outputs.logits.numpy())
            err = lambda a, b: float(np.abs(a - b).max())  # noqa: E731
            case = {
                "id": f"{Path(name).stem}-{key}",
                "image": name,
                "image_size": [image.width, image.height],
                "model_input_size": list(inputs["pixel_values"].shape[2:][::-1]),
                "prompts": prompts,
                "text": merged(prompts),
                "box_threshold": box_t,
                "text_threshold": text_t,
                "input_ids": inputs["input_ids"][0].tolist(),
                "text_self_attention_mask": mask[0].tolist(),
                "position_ids": positions[0].tolist(),
                "hf": with_prompt_words(detections(hf), outputs, inputs, text_t, prompts, processor.tokenizer, box_t),
                "recipe_ort": {
                    "max_abs_logits": err(r_logits[finite], outputs.logits.numpy()[finite]),
                    "max_abs_boxes": err(r_boxes, outputs.pred_boxes.numpy()),
                    "detections": detections(r_result),
                },
                "traced_ort": {
                    "max_abs_logits": err(t_logits[finite], outputs.logits.numpy()[finite]),
                    "max_abs_boxes": err(t_boxes, outputs.pred_boxes.numpy()),
                    "detections": detections(t_result),
                },
            }
            assert case["recipe_ort"]["max_abs_logits"] < 1e-4, case["recipe_ort"]
            if len(prompts) > 1:
                # The demonstration needs the traced graph to really be wrong here.
                assert case["traced_ort"]["max_abs_logits"] > 1e-2, case["traced_ort"]
            print(
                f"{case['id']:32s} box>{box_t} text>{text_t} kept {len(case['hf'])} labels "
                f"{[d['prompt_words'] for d in case['hf']]} recipe err {case['recipe_ort']['max_abs_logits']:.1e} "
                f"traced err {case['traced_ort']['max_abs_logits']:.1e}"
            )
            cases.append(case)

    write_json(
        OUT / "reference.json",
        {
            "generator": "tools/reference/make_grounding_dino.py",
            "model": {"seed": SEED, "max_text_len": MAX_TEXT_LEN, "num_queries": NUM_QUERIES, "sizes": list(SIZES)},
            "graphs": {"recipe": "recipe", "traced_one_phrase": "traced-one-phrase", "traced_dummy": TRACED_DUMMY},
            "versions": versions(),
            "image_processor": processor_backend(processor.image_processor),
            "cases": cases,
        },
    )


if __name__ == "__main__":
    main()
