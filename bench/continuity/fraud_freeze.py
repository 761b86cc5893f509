"""How many card freezes core banking applies, and how soon they are confirmed, when core banking
is slow and fails — with our idempotency keys, against the baseline of a client that retries the
same way but sends a fresh key each try (what a naive integration does).

    python bench/continuity/fraud_freeze.py --cases 200 --latency-ms 200 --fail-rate 0.3 --lost-reply-rate 0.1

Starts `python -m continuity.fakecore` as its own process. Time to confirmation is modelled as the
measured call times plus the back-off the Celery task would wait (10 s doubling, cap 600 s), so a
run takes seconds, not hours. Prints one JSON object.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from continuity.corebanking import CoreUnavailable, HttpCoreBanking  # noqa: E402

BASE, CAP = 10.0, 600.0


def backoff(attempts: int) -> float:
    return min(CAP, BASE * 2 ** max(0, attempts - 1))


def run(core: HttpCoreBanking, cases: int, *, fresh_key_per_try: bool, prefix: str) -> dict:
    seconds, attempts_all = [], []
    for number in range(cases):
        key, elapsed, attempts = str(uuid.uuid4()), 0.0, 0
        while True:
            attempts += 1
            started = time.perf_counter()
            try:
                core.freeze_card(idempotency_key=key, customer_no=f"{prefix}{number}", reason="bench")
                elapsed += time.perf_counter() - started
                break
            except CoreUnavailable:
                elapsed += time.perf_counter() - started + backoff(attempts)
                if fresh_key_per_try:
                    key = str(uuid.uuid4())
        seconds.append(elapsed)
        attempts_all.append(attempts)
    return {"seconds": seconds, "attempts": attempts_all}


def summary(result: dict, ledger: dict, prefix: str, cases: int) -> dict:
    freezes = [count for customer, count in ledger["freezes"].items() if customer.startswith(prefix)]
    seconds = sorted(result["seconds"])
    return {
        "cases": cases,
        "freezes_applied": sum(freezes),
        "customers_frozen_more_than_once": sum(1 for count in freezes if count > 1),
        "mean_attempts": round(statistics.mean(result["attempts"]), 2),
        "confirm_p50_s": round(seconds[len(seconds) // 2], 1),
        "confirm_p99_s": round(seconds[int(len(seconds) * 0.99) - 1], 1),
        "confirm_max_s": round(seconds[-1], 1),
        "within_1_hour": sum(1 for s in seconds if s <= 3600) / cases,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--latency-ms", type=int, default=200)
    parser.add_argument("--fail-rate", type=float, default=0.3)
    parser.add_argument("--lost-reply-rate", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=24)
    args = parser.parse_args()
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "continuity.fakecore",
            "--port",
            "0",
            "--latency-ms",
            str(args.latency_ms),
            "--fail-rate",
            str(args.fail_rate),
            "--lost-reply-rate",
            str(args.lost_reply_rate),
            "--seed",
            str(args.seed),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        url = process.stdout.readline().strip().rsplit(" ", 1)[-1]
        core = HttpCoreBanking(url, timeout=5)
        keyed = run(core, args.cases, fresh_key_per_try=False, prefix="K")
        fresh = run(core, args.cases, fresh_key_per_try=True, prefix="F")
        with urllib.request.urlopen(url + "/_ledger", timeout=5) as response:  # noqa: S310
            ledger = json.loads(response.read())
    finally:
        process.terminate()
        process.wait(timeout=10)
    print(
        json.dumps(
            {  # noqa: T201
                "bench": "continuity.fraud_freeze",
                "core": {
                    "latency_ms": args.latency_ms,
                    "fail_rate": args.fail_rate,
                    "lost_reply_rate": args.lost_reply_rate,
                },
                "idempotency_key_per_request": summary(keyed, ledger, "K", args.cases),
                "baseline_fresh_key_per_try": summary(fresh, ledger, "F", args.cases),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
