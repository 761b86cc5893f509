"""Simulate branch days and print JSON (docs/queueing-engine.md).

python bench/simulate/run.py --scenario FILE --policy smart|fifo|fifo_greeter --seed N   # one day
python bench/simulate/run.py --scenario FILE --compare [--ablation]   # smart beside every baseline
python bench/simulate/run.py --seeds 100 [--markdown]   # replications on every shipped scenario:
    means with 90 % intervals and the share of seeds meeting each target; --markdown also prints
    the README's table (that table is this command's output, nothing else)
"""

import argparse
import json
import math
import os
import statistics
import sys
import time
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from queueing.engine.simulation import BASELINES, POLICIES, compare, load_scenario, simulate  # noqa: E402

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
# Realistic days first (tuned on), then the held-out days (never tuned on), then the stress case.
KINDS = (("realistic", SCENARIOS), ("held_out", SCENARIOS / "held_out"), ("stress", SCENARIOS / "stress"))
# What each replication keeps per policy: (name, path into the day report).
METRICS = (
    ("customers", ("customers",)),
    ("mean_wait", ("wait", "mean")),
    ("p95_wait", ("wait", "p95")),
    ("max_wait", ("wait", "max")),
    ("mass_mean", ("per_group", "mass", "mean")),
    ("vip_mean", ("per_group", "vip", "mean")),
    ("elderly_mean", ("per_group", "elderly", "mean")),
    ("disability_mean", ("per_group", "disability", "mean")),
    ("elderly_like_for_like", ("like_for_like", "elderly", "mean")),
    ("mass_same_hours_as_elderly", ("like_for_like", "elderly", "mass_same_hours_mean")),
    ("abandonment_pct", ("abandonment_pct",)),
    ("stranded", ("stranded",)),
    ("peak_hour_counter_utilisation", ("peak_hour_counter_utilisation",)),
    ("estimate_mae_minutes", ("estimate_mae_minutes",)),
    ("estimate_bias_minutes", ("estimate_bias_minutes",)),
)
Z90 = 1.6449  # two-sided 90 % normal quantile


def shipped() -> list[tuple[str, Path]]:
    return [(kind, path) for kind, folder in KINDS for path in sorted(folder.glob("*.json"))]


def _dig(report, path):
    for key in path:
        report = report.get(key) if isinstance(report, dict) else None
        if report is None:
            return None
    return report


def one_seed(job):
    path, seed = job
    day = compare(load_scenario(path), seed=seed)
    kept = {policy: {name: _dig(day[policy], key) for name, key in METRICS} for policy in POLICIES}
    kept["ratio"] = {b: day["smart_versus"][b]["mean_ratio"] for b in BASELINES}
    return path, seed, kept, day["targets"]


def interval(values):
    """Mean, 90 % confidence interval of the mean, and the 5th-95th percentile of the days."""
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    mean = statistics.fmean(values)
    half = Z90 * statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else 0.0

    def pct(q):
        return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]

    return {
        "mean": round(mean, 3),
        "ci90": [round(mean - half, 3), round(mean + half, 3)],
        "days_p5_p95": [round(pct(0.05), 3), round(pct(0.95), 3)],
        "n": len(values),
    }


def replicate(seeds: int, processes: int, only: str | None) -> dict:
    scenarios = [(kind, path) for kind, path in shipped() if only is None or only in path.stem]
    jobs = [(str(path), seed) for _, path in scenarios for seed in range(1, seeds + 1)]
    with Pool(processes) as pool:
        rows = pool.map(one_seed, jobs, chunksize=4)
    result = {}
    for kind, path in scenarios:
        mine = [row for row in rows if row[0] == str(path)]
        scenario = load_scenario(path)
        result[scenario.name] = {
            "kind": kind,
            "seeds": len(mine),
            "policies": {
                policy: {name: interval([row[2][policy][name] for row in mine]) for name, _ in METRICS}
                for policy in POLICIES
            },
            "smart_mean_ratio": {b: interval([row[2]["ratio"][b] for row in mine]) for b in BASELINES},
            "share_of_seeds_meeting": {
                target: round(sum(row[3][target] for row in mine) / len(mine), 3) for target in mine[0][3]
            },
        }
    return result


def markdown(result: dict) -> str:
    lines = [
        "| scenario | kind | policy | customers | mean wait (90 % CI) | p95 | max | VIP | elderly "
        "| disability | mass | elderly / mass at a counter, same hours | abandoned % | peak counter util. "
        "| quote MAE / bias |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, day in result.items():
        for policy in POLICIES:
            m = day["policies"][policy]

            def mean(key, digits=2, m=m):
                return "—" if m[key] is None else f"{m[key]['mean']:.{digits}f}"

            ci = m["mean_wait"]["ci90"]
            lines.append(
                f"| {name} | {day['kind']} | {policy} | {mean('customers', 0)} | {mean('mean_wait')} "
                f"({ci[0]:.2f}–{ci[1]:.2f}) | {mean('p95_wait', 1)} | {mean('max_wait', 1)} "
                f"| {mean('vip_mean')} | {mean('elderly_mean')} | {mean('disability_mean')} "
                f"| {mean('mass_mean')} "
                f"| {mean('elderly_like_for_like')} / {mean('mass_same_hours_as_elderly')} "
                f"| {mean('abandonment_pct', 1)} | {mean('peak_hour_counter_utilisation')} "
                f"| {mean('estimate_mae_minutes')} / {mean('estimate_bias_minutes')} |"
            )
    targets = next(iter(result.values()))["share_of_seeds_meeting"]
    lines += [
        "",
        "Share of seeds meeting each target (smart):",
        "",
        "| scenario | " + " | ".join(t.replace("_", " ") for t in targets) + " |",
        "| --- |" + " --- |" * len(targets),
    ]
    for name, day in result.items():
        shares = day["share_of_seeds_meeting"]
        lines.append(f"| {name} | " + " | ".join(f"{100 * shares[t]:.0f} %" for t in targets) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--scenario", default=str(SCENARIOS / "month_end_day.json"))
    parser.add_argument(
        "--policy", default="smart", help="smart | fifo | fifo_greeter | routing_only | calling_only"
    )
    parser.add_argument("--compare", action="store_true", help="smart beside every baseline")
    parser.add_argument("--ablation", action="store_true", help="with --compare: half-way policies too")
    parser.add_argument(
        "--seeds", type=int, default=0, help="replications: seeds 1..N on every shipped scenario"
    )
    parser.add_argument("--only", default=None, help="with --seeds: scenarios whose file name contains this")
    parser.add_argument("--processes", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--markdown", action="store_true", help="with --seeds: also print the README table")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hours", type=float, default=None, help="simulate only the first hours")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.seeds:
        result = replicate(args.seeds, args.processes, args.only)
    elif args.compare:
        result = compare(
            load_scenario(args.scenario), seed=args.seed, hours=args.hours, ablation=args.ablation
        )
    else:
        result = simulate(load_scenario(args.scenario), policy=args.policy, seed=args.seed, hours=args.hours)
    elapsed = round(time.perf_counter() - started, 1)
    print(json.dumps({**result, "elapsed_seconds": elapsed}, indent=2, ensure_ascii=False))
    if args.seeds and args.markdown:
        print(markdown(result))


if __name__ == "__main__":
    main()
