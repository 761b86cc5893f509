from dataclasses import replace
from pathlib import Path

import pytest

from queueing.engine.simulation import compare, generate_arrivals, load_scenario, simulate

SCENARIOS = Path(__file__).resolve().parents[3] / "bench" / "simulate" / "scenarios"


@pytest.fixture(scope="module")
def peak():
    return load_scenario(SCENARIOS / "month_end_peak.json")


@pytest.fixture(scope="module")
def peak_comparison(peak):
    return compare(peak, seed=7)


def test_every_shipped_scenario_loads_and_runs_a_morning():
    for path in sorted(SCENARIOS.glob("*.json")):
        report = simulate(load_scenario(path), policy="smart", seed=1, hours=1)
        assert report["customers"] > 0
        assert report["served"] + report["no_shows"] == report["customers"]
        assert report["unserved"] == 0


def test_both_policies_see_the_same_customers(peak):
    assert generate_arrivals(peak, 3) == generate_arrivals(peak, 3)
    assert generate_arrivals(peak, 3) != generate_arrivals(peak, 4)


def test_smart_routing_beats_the_ticket_printer_at_month_end(peak_comparison):
    smart, fifo = peak_comparison["smart"], peak_comparison["fifo"]
    assert smart["customers"] == fifo["customers"]
    assert smart["wait"]["mean"] < 0.6 * fifo["wait"]["mean"]
    assert smart["wait"]["max"] <= 30


def test_smart_quotes_come_true_within_two_minutes_on_average(peak_comparison):
    assert peak_comparison["smart"]["estimate_mae_minutes"] <= 2


def test_an_unknown_policy_is_refused(peak):
    with pytest.raises(ValueError):
        simulate(peak, policy="random", seed=1)


def test_a_service_nobody_is_skilled_for_is_reported_not_stalled(peak):
    without_wealth = replace(
        peak, points=tuple(replace(p, skills=p.skills - {"wealth"}) for p in peak.points)
    )
    report = simulate(without_wealth, policy="smart", seed=2, hours=2)
    assert report["unserved"] > 0
    assert report["served"] + report["no_shows"] + report["unserved"] == report["customers"]
