"""Simulate a branch day: `python bench/simulate/run.py --scenario FILE [--policy smart|fifo |
--compare] [--seed N] [--hours H]`. Prints JSON (docs/queueing-engine.md)."""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from queueing.engine.simulation import compare, load_scenario, simulate  # noqa: E402

SCENARIOS = Path(__file__).resolve().parent / "scenarios"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", default=str(SCENARIOS / "month_end_peak.json"))
    parser.add_argument("--policy", choices=("smart", "fifo"), default="smart")
    parser.add_argument("--compare", action="store_true", help="run both policies")
    parser.add_argument("--all", action="store_true", help="compare on every shipped scenario")
    parser.add_argument(
        "--ablation", action="store_true", help="with --compare/--all: also the half-way policies"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hours", type=float, default=None, help="simulate only the first hours")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.all:
        result = {
            path.stem: compare(
                load_scenario(path), seed=args.seed, hours=args.hours, ablation=args.ablation
            )
            for path in sorted(SCENARIOS.glob("*.json"))
        }
    elif args.compare:
        result = compare(
            load_scenario(args.scenario), seed=args.seed, hours=args.hours, ablation=args.ablation
        )
    else:
        result = simulate(
            load_scenario(args.scenario), policy=args.policy, seed=args.seed, hours=args.hours
        )
    result["elapsed_seconds"] = round(time.perf_counter() - started, 2)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
