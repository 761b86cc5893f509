"""Face engine timings on this machine, printed as JSON (no Django, no database).

    .venv/bin/python bench/face/engine_bench.py [--faces ../shared/faces] [--runs 40]

- detect+encode per 640×480 camera frame (HOG detector, 5-point landmarks, ResNet encoding), p50/p95;
- matching one frame's encoding against galleries of 10,000 and 100,000 enrolled encodings
  (one vectorised numpy operation), p50/p95 — the target is ≤ 20 ms for 100,000.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from customers.face import engine, frames  # noqa: E402 - after the sys.path line


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(p95 * 1000, 2)}


def camera_frame(photo: Path) -> np.ndarray:
    """The photo shrunk onto a 640×480 canvas, the way a kiosk camera frame looks."""
    image = frames.decode_image(photo.read_bytes(), frames.PHOTO_LIMITS)
    from PIL import Image

    picture = Image.fromarray(image)
    picture.thumbnail((640, 480))
    canvas = Image.new("RGB", (640, 480), (90, 90, 90))
    canvas.paste(picture, ((640 - picture.width) // 2, (480 - picture.height) // 2))
    return np.asarray(canvas)


def bench_detect(faces_dir: Path, runs: int) -> dict:
    camera = [camera_frame(p) for p in sorted(faces_dir.glob("*.jpg"))]
    engine.detect_faces(camera[0])  # load the models outside the timing
    samples, found = [], 0
    for i in range(runs):
        started = time.perf_counter()
        found += len(engine.detect_faces(camera[i % len(camera)]))
        samples.append(time.perf_counter() - started)
    return {"frame": "640x480", "runs": runs, "faces_found": found, **percentiles(samples)}


def bench_match(size: int, runs: int) -> dict:
    rng = np.random.default_rng(7)
    encodings = rng.normal(0, 0.09, (size, engine.ENCODING_SIZE)).astype(np.float32)
    labels = np.repeat(np.arange(size // 2), 2)[:size]  # two photos per enrolled customer
    started = time.perf_counter()
    gallery = engine.Gallery(labels, encodings)
    build = time.perf_counter() - started
    query = encodings[size // 3] + rng.normal(0, 0.02, engine.ENCODING_SIZE).astype(np.float32)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        gallery.match(query)
        samples.append(time.perf_counter() - started)
    return {"encodings": size, "runs": runs, "build_ms": round(build * 1000, 1), **percentiles(samples)}


def bench_matches(runs: int) -> list[dict]:
    engine.limit_blas_threads()  # as in a worker process (see customers/face/tasks.py)
    return [{**bench_match(size, runs), "blas_threads": 1} for size in (10_000, 100_000)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--faces", type=Path, default=ROOT.parent / "shared" / "faces")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    engine.check_face_models()
    result = {
        "detect_encode": bench_detect(args.faces, args.runs) if args.faces.is_dir() else "skipped: no faces",
        "match": bench_matches(args.runs),
        "targets": {"match_100000_ms": 20},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
