"""Simulate a branch day and print JSON (docs/queueing-engine.md).

python bench/simulate/run.py --scenario FILE --policy smart|fifo --seed N
python bench/simulate/run.py --compare [--ablation]      # both policies, same customers
python bench/simulate/run.py --all                       # --compare on every shipped scenario
python bench/simulate/run.py --seeds 10                  # --compare over seeds 1..10, summarised
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from queueing.engine.simulation import compare, load_scenario, simulate  # noqa: E402

SCENARIOS = Path(__file__).resolve().parent / "scenarios"


def sweep(scenario, seeds: int, hours: float | None) -> dict:
    runs = [compare(scenario, seed=seed, hours=hours) for seed in range(1, seeds + 1)]

    def mean_of(policy, *path):
        values = []
        for run in runs:
            value = run[policy]
            for key in path:
                value = value[key]
            values.append(value)
        return round(statistics.fmean(values), 2)

    return {
        "scenario": scenario.name,
        "seeds": seeds,
        "mean_over_seeds": {
            policy: {
                "mean_wait": mean_of(policy, "wait", "mean"),
                "p95_wait": mean_of(policy, "wait", "p95"),
                "max_wait": mean_of(policy, "wait", "max"),
                "within_15_min_pct": mean_of(policy, "wait", "within_15_min_pct"),
                "estimate_mae_minutes": mean_of(policy, "estimate_mae_minutes"),
            }
            for policy in ("smart", "fifo")
        },
        "mean_wait_lower_pct": [run["improvement"]["mean_wait_lower_pct"] for run in runs],
        "seeds_meeting_target": {
            target: sum(run["targets"][target] for run in runs) for target in runs[0]["targets"]
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--scenario", default=str(SCENARIOS / "month_end_peak.json"))
    parser.add_argument("--policy", default="smart", help="smart | fifo | routing_only | calling_only")
    parser.add_argument("--compare", action="store_true", help="run both policies")
    parser.add_argument("--ablation", action="store_true", help="with --compare/--all: half-way policies too")
    parser.add_argument("--all", action="store_true", help="compare on every shipped scenario")
    parser.add_argument("--seeds", type=int, default=0, help="compare over seeds 1..N, summarised")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hours", type=float, default=None, help="simulate only the first hours")
    args = parser.parse_args()
    started = time.perf_counter()
    scenario = load_scenario(args.scenario)
    if args.all:
        result = {
            path.stem: compare(load_scenario(path), seed=args.seed, hours=args.hours, ablation=args.ablation)
            for path in sorted(SCENARIOS.glob("*.json"))
        }
    elif args.seeds:
        result = sweep(scenario, args.seeds, args.hours)
    elif args.compare:
        result = compare(scenario, seed=args.seed, hours=args.hours, ablation=args.ablation)
    else:
        result = simulate(scenario, policy=args.policy, seed=args.seed, hours=args.hours)
    result["elapsed_seconds"] = round(time.perf_counter() - started, 2)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
