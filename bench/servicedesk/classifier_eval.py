"""Top-1 accuracy of the work-order classifier on hand-written held-out texts; prints JSON.

Usage: .venv/bin/python bench/servicedesk/classifier_eval.py
The held-out texts (heldout.json) were written separately from the demo history, in other words.
"""

import json
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from servicedesk.classifier import train  # noqa: E402
from servicedesk.history import demo_history  # noqa: E402


def main() -> None:
    history = demo_history()
    heldout = json.loads((HERE / "heldout.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    model = train(history)
    trained_s = time.perf_counter() - started

    correct_leaf = correct_type = correct_line = 0
    misses: Counter = Counter()
    started = time.perf_counter()
    for text, expected in heldout:
        got = model.predict(text).code
        correct_leaf += got == expected
        correct_type += got.rsplit(".", 1)[0] == expected.rsplit(".", 1)[0]
        correct_line += got.split(".")[0] == expected.split(".")[0]
        if got != expected:
            misses[f"{expected} -> {got}"] += 1
    predict_ms = (time.perf_counter() - started) / len(heldout) * 1000
    print(
        json.dumps(
            {
                "benchmark": "servicedesk.classifier",
                "training_samples": len(history),
                "heldout_samples": len(heldout),
                "top1_accuracy_detail": round(correct_leaf / len(heldout), 3),
                "top1_accuracy_problem_type": round(correct_type / len(heldout), 3),
                "top1_accuracy_business_line": round(correct_line / len(heldout), 3),
                "target": 0.85,
                "train_seconds": round(trained_s, 2),
                "predict_ms_per_text": round(predict_ms, 2),
                "misses": dict(misses.most_common()),
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
