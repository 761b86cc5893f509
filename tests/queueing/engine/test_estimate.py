from dataclasses import replace

import pytest

from queueing.engine import PriorityClass, estimate_waits


def test_an_idle_counter_means_no_wait(make_ticket, make_counter, service_times, weights):
    waits = estimate_waits([make_ticket(1)], [make_counter("c1")], service_times, 10, weights)
    assert waits == {1: 0}


def test_a_busy_counter_is_waited_for(make_ticket, make_counter, service_times, weights):
    counters = [make_counter("c1", busy_until=13.5)]
    assert estimate_waits([make_ticket(1)], counters, service_times, 10, weights) == {1: 3.5}


def test_the_queue_is_worked_off_at_learned_service_times(make_ticket, make_counter, service_times, weights):
    tickets = [make_ticket(i, arrived_at=i) for i in range(4)]  # cash: 4 minutes each
    waits = estimate_waits(tickets, [make_counter("c1")], service_times, 10, weights)
    assert waits == {0: 0, 1: 4, 2: 8, 3: 12}


def test_two_counters_halve_the_wait(make_ticket, make_counter, service_times, weights):
    tickets = [make_ticket(i, arrived_at=i) for i in range(6)]
    one = estimate_waits(tickets, [make_counter("c1")], service_times, 10, weights)
    two = estimate_waits(tickets, [make_counter("c1"), make_counter("c2")], service_times, 10, weights)
    assert max(two.values()) == pytest.approx(max(one.values()) / 2, abs=4)
    assert all(two[t] <= one[t] for t in one)


def test_closed_counters_and_missing_skills_leave_no_estimate(
    make_ticket, make_counter, service_times, weights
):
    tickets = [make_ticket(1, service="wealth"), make_ticket(2)]
    counters = [
        make_counter("c1", skills=("cash",)),
        make_counter("w1", ("wealth",), open=False),
    ]
    assert estimate_waits(tickets, counters, service_times, 0, weights) == {
        1: None,
        2: 0,
    }


def test_it_follows_call_next_priorities(make_ticket, make_counter, service_times, weights):
    weights = replace(weights, overtaking_window_minutes=0)  # no later arrivals expected
    tickets = [
        make_ticket("walk-in", arrived_at=0),
        make_ticket("vip", arrived_at=1, priority_class=PriorityClass.VIP, vip_tier=3),
    ]
    waits = estimate_waits(tickets, [make_counter("c1")], service_times, 2, weights)
    assert waits == {"vip": 0, "walk-in": 4}


def test_a_specialist_counter_works_its_own_queue(make_ticket, make_counter, service_times, weights):
    tickets = [
        make_ticket(1, service="wealth"),
        *(make_ticket(i, arrived_at=i) for i in (2, 3)),
    ]
    counters = [
        make_counter("c1", ("cash",)),
        make_counter("w1", ("wealth", "cash"), specialties=frozenset({"wealth"})),
    ]
    waits = estimate_waits(tickets, counters, service_times, 10, weights)
    assert waits[1] == 0 and waits[3] == 4
