"""A branch day as a discrete-event simulation (SimPy), driving the production engine.

Every policy sees identical customers for a seed (``arrivals.generate_arrivals``); the policies
are described in ``branch``; the scenario format is ``scenario.schema.json`` (and
docs/queueing-engine.md); ``report`` says what a run prints.
"""

from __future__ import annotations

from typing import Any

import simpy

from .arrivals import Arrival, draw_day, generate_arrivals, warm_service_times
from .branch import ABLATIONS, BASELINES, MAX_OVERTIME_MINUTES, POLICIES, Branch
from .report import day_report, pct_lower, targets
from .scenario import SCHEMA_PATH, Scenario, ScenarioError, load_scenario, scenario_from_dict, with_weights

__all__ = [
    "ABLATIONS",
    "BASELINES",
    "POLICIES",
    "SCHEMA_PATH",
    "Arrival",
    "Scenario",
    "ScenarioError",
    "compare",
    "generate_arrivals",
    "load_scenario",
    "scenario_from_dict",
    "run_day",
    "simulate",
    "warm_service_times",
    "with_weights",
]


def simulate(scenario: Scenario, *, policy: str, seed: int, hours: float | None = None) -> dict[str, Any]:
    """One policy on one day; always returns (see ``branch`` on termination)."""
    return run_day(scenario, policy=policy, seed=seed, hours=hours)[1]


def run_day(
    scenario: Scenario, *, policy: str, seed: int, hours: float | None = None
) -> tuple[Branch, dict[str, Any]]:
    """``simulate`` that also returns the branch as the day left it (for tests and drill-down)."""
    if policy not in POLICIES + ABLATIONS:
        raise ValueError(f"policy must be one of {POLICIES + ABLATIONS}")
    arrivals, booked_no_shows = draw_day(scenario, seed, hours)
    env = simpy.Environment()
    branch = Branch(env, scenario, policy, seed)
    env.process(branch.arrivals(arrivals))
    for point in scenario.points:
        env.process(branch.counter(point))
    limit = scenario.day_minutes + MAX_OVERTIME_MINUTES
    while env.peek() <= limit:
        env.step()
    branch.strand_the_rest()
    report = day_report(
        scenario,
        branch,
        policy=policy,
        seed=seed,
        booked_no_shows=booked_no_shows,
        ended_at=branch.last_activity,
    )
    return branch, report


def compare(
    scenario: Scenario, *, seed: int, hours: float | None = None, ablation: bool = False
) -> dict[str, Any]:
    """Smart beside every baseline on the same customers, with the issue's targets."""
    reports = {policy: simulate(scenario, policy=policy, seed=seed, hours=hours) for policy in POLICIES}
    smart = reports["smart"]
    result: dict[str, Any] = {
        "scenario": scenario.name,
        "stress_case": scenario.stress_case,
        "seed": seed,
        **reports,
    }
    result["smart_versus"] = {
        baseline: {
            "mean_ratio": round(smart["wait"].get("mean", 0.0) / reports[baseline]["wait"]["mean"], 3)
            if reports[baseline]["wait"].get("mean")
            else None,
            "mean_wait_lower_pct": pct_lower(
                reports[baseline]["wait"].get("mean", 0.0), smart["wait"].get("mean", 0.0)
            ),
            "p95_wait_lower_pct": pct_lower(
                reports[baseline]["wait"].get("p95", 0.0), smart["wait"].get("p95", 0.0)
            ),
            "max_wait_lower_pct": pct_lower(
                reports[baseline]["wait"].get("max", 0.0), smart["wait"].get("max", 0.0)
            ),
        }
        for baseline in BASELINES
    }
    result["targets"] = targets(smart, {b: reports[b] for b in BASELINES})
    if ablation:
        result["ablation"] = {}
        for policy in ABLATIONS:
            report = simulate(scenario, policy=policy, seed=seed, hours=hours)
            result["ablation"][policy] = {
                "wait": report["wait"],
                "mean_wait_lower_than_fifo_pct": pct_lower(
                    reports["fifo"]["wait"].get("mean", 0.0), report["wait"].get("mean", 0.0)
                ),
                "stranded": report["stranded"],
            }
    return result
