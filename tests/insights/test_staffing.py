import pytest

from insights.staffing import counters_for, verdict
from queueing.engine import service_level


def test_it_matches_the_call_centre_helper_worked_example():
    # Call Centre Helper, "Erlang C Formula – Made Simple": 100 calls per 30 minutes, AHT 3 min,
    # 80 % answered within 20 s needs 14 agents (11 agents reach only 39 %).
    assert counters_for(arrivals_per_hour=200, handling_minutes=3, level=0.8, target_minutes=20 / 60) == 14
    assert service_level(200 / 60, 3, 11, 20 / 60) == pytest.approx(0.39, abs=0.005)


def test_a_quiet_hour_needs_no_counter():
    assert counters_for(arrivals_per_hour=0, handling_minutes=6) == 0


def test_the_branch_target_is_80_percent_within_15_minutes():
    # 30 customers an hour, 8 minutes each: 4 Erlangs of work need at least 5 counters.
    needed = counters_for(arrivals_per_hour=30, handling_minutes=8)
    assert service_level(0.5, 8, needed, 15) >= 0.8 > service_level(0.5, 8, needed - 1, 15)


def test_hours_are_flagged_when_open_counters_miss_the_recommendation():
    assert verdict(open_counters=1.0, needed=3) == "under"
    assert verdict(open_counters=2.7, needed=3) == ""
    assert verdict(open_counters=5.0, needed=3) == "over"
