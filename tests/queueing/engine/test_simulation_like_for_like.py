"""The simulator's like-for-like comparison of older customers with mass customers: at a counter,
in the same arrival hours (an opening rush full of older customers is not compared with a quiet
afternoon)."""

from pathlib import Path
from types import SimpleNamespace

from queueing.engine import Channel, CustomerProfile
from queueing.engine.simulation import load_scenario
from queueing.engine.simulation.report import _like_for_like

SCENARIO = load_scenario(Path(__file__).parents[3] / "bench/simulate/scenarios/ordinary_day.json")
OLD, YOUNG = CustomerProfile(age=75), CustomerProfile(age=30)


def visit(customer, at, waited, channel=Channel.COUNTER):
    return SimpleNamespace(arrival=SimpleNamespace(at=at, customer=customer), channel=channel, waited=waited)


def test_older_customers_are_compared_with_mass_customers_of_their_own_hours():
    served = [
        visit(OLD, 5, 6.0),  # the busy first hour
        visit(OLD, 10, 4.0),
        visit(YOUNG, 8, 9.0),
        visit(YOUNG, 300, 0.5),  # a quiet afternoon
        visit(YOUNG, 310, 0.5),
        visit(YOUNG, 20, 0.0, channel=Channel.KIOSK),  # a kiosk user: not like for like
    ]
    result = _like_for_like(SCENARIO, served, "elderly")
    # The plain day mean of mass customers (2.5) is below the older customers' 5.0; in their own
    # hour, at a counter, mass customers waited 9.
    assert result == {"count": 2, "mean": 5.0, "mass_same_hours_mean": 9.0}


def test_an_hour_without_mass_customers_at_a_counter_is_left_out():
    served = [visit(OLD, 5, 6.0), visit(OLD, 130, 1.0), visit(YOUNG, 140, 2.0)]
    assert _like_for_like(SCENARIO, served, "elderly") == {
        "count": 1, "mean": 1.0, "mass_same_hours_mean": 2.0}
    assert _like_for_like(SCENARIO, served[:1], "elderly") == {"count": 0}
