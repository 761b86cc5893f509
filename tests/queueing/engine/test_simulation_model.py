"""What the simulator models beyond the first format, each from its scenario field."""

import copy

import pytest
import simpy

from queueing.engine import Channel
from queueing.engine.simulation import generate_arrivals, run_day, scenario_from_dict, simulate
from queueing.engine.simulation.branch import Branch

BASE = {
    "name": "small_branch",
    "day_minutes": 240,
    "arrivals_per_hour": [30, 30, 30, 30],
    "services": [
        {
            "code": "cash",
            "complexity": "instant",
            "target_minutes": 4,
            "share": 0.6,
            "queue_prefix": "A",
            "duration": {"counter": {"mean": 4}, "kiosk": {"mean": 3}},
        },
        {
            "code": "card",
            "complexity": "complex",
            "target_minutes": 10,
            "share": 0.4,
            "queue_prefix": "B",
            "appointments": True,
            "duration": {"counter": {"mean": 10}},
        },
    ],
    "segments": [
        {"name": "mass", "share": 0.7, "age": [20, 60]},
        {"name": "elderly", "share": 0.3, "age": [70, 85], "acceptance": 0.3},
    ],
    "points": [
        {"id": "C", "count": 3, "kind": "counter", "skills": ["cash", "card"]},
        {"id": "K1", "kind": "kiosk", "skills": ["cash"]},
    ],
}


def day(**changes):
    data = copy.deepcopy(BASE)
    data.update(changes)
    return scenario_from_dict(data)


def overloaded(**changes):
    """Two counters' worth of customers on one counter."""
    points = [{"id": "C1", "kind": "counter", "skills": ["cash", "card"]}]
    return day(points=points, **changes)


@pytest.mark.parametrize("policy", ["smart", "fifo", "fifo_greeter"])
def test_impatient_customers_renege_and_are_counted(policy):
    patient = simulate(overloaded(), policy=policy, seed=1)
    impatient = simulate(overloaded(patience={"mean": 10, "cv": 0.3}), policy=policy, seed=1)
    assert patient["reneged"] == 0
    assert impatient["reneged"] > 10
    assert impatient["abandonment_pct"] == pytest.approx(
        100 * impatient["reneged"] / impatient["customers"], abs=0.01
    )
    assert impatient["wait"]["max"] < patient["wait"]["max"]


def test_customers_arriving_at_lunch_give_up_sooner():
    scenario = day(lunch=[60, 120], patience={"mean": 20, "cv": 0.0001, "lunch_factor": 0.5})
    arrivals = generate_arrivals(scenario, 1)
    at_lunch = {round(a.patience) for a in arrivals if 60 <= a.at < 120}
    otherwise = {round(a.patience) for a in arrivals if not 60 <= a.at < 120}
    assert at_lunch == {10} and otherwise == {20}


def test_a_crowded_lobby_makes_customers_balk_at_the_door():
    crowded = simulate(
        overloaded(balking={"lobby_length": 5, "per_extra": 0.1, "max_probability": 0.8}),
        policy="fifo",
        seed=2,
    )
    assert crowded["balked"] > 5
    left = crowded["reneged"] + crowded["balked"] + crowded["stranded"]
    assert crowded["served"] + crowded["no_shows"] + left == crowded["customers"]


def test_half_hour_arrival_profiles_put_customers_in_their_half_hour():
    scenario = day(arrivals_per_half_hour=[40, 0, 0, 0, 0, 0, 0, 0])
    times = [a.at for a in generate_arrivals(scenario, 3)]
    assert 25 < len(times) < 60 and max(times) < 30


def test_the_segment_mix_changes_over_the_day():
    scenario = day(
        segment_mix_over_day=[
            {"from_minute": 0, "shares": {"elderly": 1}},
            {"from_minute": 120, "shares": {"mass": 1}},
        ]
    )
    arrivals = generate_arrivals(scenario, 4)
    assert {a.segment for a in arrivals if a.at < 120} == {"elderly"}
    assert {a.segment for a in arrivals if a.at >= 120} == {"mass"}


def test_a_queue_at_the_door_arrives_at_opening():
    arrivals = generate_arrivals(day(door_queue={"mean": 30, "spread_minutes": 2}), 5)
    plain = generate_arrivals(day(), 5)
    assert sum(a.at < 2 for a in arrivals) >= sum(a.at < 2 for a in plain) + 15


def test_elderly_customers_and_customers_with_needs_take_longer_and_longer_still_at_a_kiosk():
    scenario = day(time_multipliers={"elderly": 1.5, "elderly_at_kiosk": 2.0})
    plain = {a.id: a for a in generate_arrivals(day(), 6)}
    for arrival in generate_arrivals(scenario, 6):
        base = plain[arrival.id].durations
        factor = 1.5 if arrival.segment == "elderly" else 1.0
        assert arrival.durations[Channel.COUNTER] == pytest.approx(base[Channel.COUNTER] * factor)
        if Channel.KIOSK in base:
            kiosk = factor * (2.0 if arrival.segment == "elderly" else 1.0)
            assert arrival.durations[Channel.KIOSK] == pytest.approx(base[Channel.KIOSK] * kiosk)


def test_smart_sends_language_customers_to_a_teller_who_speaks_it_and_the_printer_does_not():
    points = [
        {"id": "C1", "kind": "counter", "skills": ["cash", "card"], "languages": ["zh-hans", "en"]},
        {"id": "C", "count": 2, "kind": "counter", "skills": ["cash", "card"]},
    ]
    scenario = day(points=points, language_shares={"en": 0.1}, time_multipliers={"language_mismatch": 1.5},
                   arrivals_per_hour=[20, 20, 20, 20])  # not overloaded: nobody reaches the hard cap
    smart = sum(simulate(scenario, policy="smart", seed=s)["language_mismatches"] for s in range(1, 6))
    printer = sum(simulate(scenario, policy="fifo", seed=s)["language_mismatches"] for s in range(1, 6))
    assert smart < printer / 2


def _wheelchair_lobby(policy, accessible_busy_for):
    """A wheelchair customer has just arrived; the accessible counter C1 is busy for a while."""
    points = [
        {"id": "C1", "kind": "counter", "skills": ["cash", "card"], "accessibility": ["wheelchair"]},
        {"id": "C2", "kind": "counter", "skills": ["cash", "card"]},
    ]
    segments = [{"name": "wheelchair", "share": 1.0, "needs_share": 1.0, "needs": ["wheelchair"]}]
    scenario = day(points=points, segments=segments)
    branch = Branch(simpy.Environment(), scenario, policy, 1)
    arrival = generate_arrivals(scenario, 1)[0]
    branch.busy_until["C1"] = accessible_busy_for
    branch.arrive(arrival)
    return branch, scenario.points[1]


def test_smart_leaves_a_wheelchair_customer_to_the_accessible_counter_when_it_is_free_soon():
    branch, plain_counter = _wheelchair_lobby("smart", accessible_busy_for=0.5)
    assert branch.pick(plain_counter) is None
    printer, plain_counter = _wheelchair_lobby("fifo", accessible_busy_for=0.5)
    assert printer.pick(plain_counter) is not None


def test_smart_does_not_keep_a_wheelchair_customer_waiting_for_a_long_busy_accessible_counter():
    branch, plain_counter = _wheelchair_lobby("smart", accessible_busy_for=2.0)
    assert branch.pick(plain_counter) is not None


@pytest.mark.parametrize("policy", ["smart", "fifo_greeter"])
def test_a_failed_kiosk_session_sends_the_customer_to_a_counter(policy):
    scenario = day(kiosk_failure={"rate": 1.0, "time_share": 0.5})
    report = simulate(scenario, policy=policy, seed=9)
    assert report["kiosk_failures"] > 0
    assert report["per_channel"]["kiosk"]["count"] == 0  # every one of them ended at a counter
    assert report["served"] + report["no_shows"] == report["customers"]


def test_kiosk_authorisations_queue_for_the_floor_staff():
    points = [
        {"id": "C1", "kind": "counter", "skills": ["cash", "card"]},
        {"id": "K", "count": 4, "kind": "kiosk", "skills": ["cash"]},
    ]
    needs_staff = {"services": ["cash"], "duration": {"mean": 3}}
    one = simulate(
        day(points=points, floor_staff=1, authorisation=needs_staff), policy="fifo_greeter", seed=10
    )
    three = simulate(
        day(points=points, floor_staff=3, authorisation=needs_staff), policy="fifo_greeter", seed=10
    )
    assert one["floor_staff_wait_minutes"] > three["floor_staff_wait_minutes"] >= 0
    assert one["authorisations"] == three["authorisations"] > 0


def test_booked_slots_come_with_punctuality_grace_and_no_shows():
    book = {
        "slot_minutes": 30,
        "per_slot": 3,
        "early_mean_minutes": 2,
        "punctuality_sd_minutes": 5,
        "grace_minutes": 10,
        "check_in_before_minutes": 10,
        "no_show_rate": 0.2,
    }
    scenario = day(appointment_book=book)
    arrivals = [a for a in generate_arrivals(scenario, 11) if a.booked]
    report = simulate(scenario, policy="smart", seed=11)
    assert arrivals and all(a.service == "card" and a.appointment is not None for a in arrivals)
    assert report["appointment_no_shows"] > 0
    assert report["appointments"]["count"] == len(arrivals)  # every one who came was served


def test_a_counter_on_lunch_calls_nobody():
    points = [
        {"id": "C1", "kind": "counter", "skills": ["cash", "card"], "lunch": [60, 120]},
        {"id": "C2", "kind": "counter", "skills": ["cash", "card"]},
    ]
    scenario = day(points=points)
    assert scenario.points[0].hours == ((0, 60), (120, 240))
    branch, _ = run_day(scenario, policy="smart", seed=12)
    starts = [start for point, start, _ in branch.services if point == "C1"]
    assert starts and not any(60 <= start < 120 for start in starts)


@pytest.mark.parametrize("policy", ["smart", "fifo", "fifo_greeter"])
def test_a_counter_declared_with_a_work_profile_calls_only_its_queues_and_counts_them(policy):
    points = [{"id": "C1", "kind": "counter", "skills": ["cash", "card"], "work_profile": {"queues": ["B"]}},
              {"id": "C2", "kind": "counter", "skills": ["cash", "card"],
               "work_profile": {"queues": ["A", "B"], "mode": "ratio", "ratios": [3, 1]}}]
    report = simulate(day(points=points), policy=policy, seed=13)
    calls = report["calls_by_queue"]
    assert set(calls["C1"]) == {"B"}
    assert calls["C2"]["A"] > calls["C2"].get("B", 0)
