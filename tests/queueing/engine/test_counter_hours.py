"""Quotes know the counters' hours: a teller leaving for lunch, coming back, or ending a shift
(`CounterState.hours`, the roster's knowledge in the live branch, the scenario's in the simulator)."""

import math
from dataclasses import replace

import pytest

from queueing.engine import estimate_wait, estimate_waits, recommend_route
from queueing.engine.types import CustomerProfile, LiveState

NOW = 100.0


def queue_of(make_ticket, n):
    """n customers for 4-minute cash, in arrival order."""
    return [make_ticket(i, arrived_at=NOW - n + i) for i in range(n)]


def no_overtaking(weights):
    return replace(weights, overtaking_window_minutes=0)


def test_a_counter_leaving_for_lunch_lengthens_the_quotes_behind_it(
    make_ticket, make_counter, service_times, weights
):
    waiting = queue_of(make_ticket, 6)
    staying = make_counter("c1")
    unknown = [staying, make_counter("c2")]
    lunch_soon = [staying, make_counter("c2", hours=((0.0, NOW + 5), (NOW + 50, math.inf)))]
    before = estimate_waits(waiting, unknown, service_times, NOW, no_overtaking(weights))
    after = estimate_waits(waiting, lunch_soon, service_times, NOW, no_overtaking(weights))
    # Two counters take the first four customers (0, 0, 4, 4); then c2 has gone to lunch at
    # NOW + 5, so c1 alone calls the last two at 8 and 12 minutes.
    assert [before[i] for i in range(6)] == pytest.approx([0, 0, 4, 4, 8, 8])
    assert [after[i] for i in range(6)] == pytest.approx([0, 0, 4, 4, 8, 12])


def test_a_teller_finishes_the_customer_at_hand_before_lunch(
    make_ticket, make_counter, service_times, weights
):
    # Busy until NOW + 3, lunch from NOW + 2: the service ends, no new call until NOW + 30.
    counter = make_counter("c1", busy_until=NOW + 3, hours=((0.0, NOW + 2), (NOW + 30, math.inf)))
    waits = estimate_waits(queue_of(make_ticket, 1), [counter], service_times, NOW, no_overtaking(weights))
    assert waits[0] == pytest.approx(30)


def test_a_counter_at_lunch_counts_from_its_return(make_ticket, make_counter, service_times, weights):
    waiting = queue_of(make_ticket, 4)
    open_one = make_counter("c1")
    at_lunch = make_counter("c2", open=False, hours=((0.0, NOW - 10), (NOW + 6, math.inf)))
    without = estimate_waits(waiting, [open_one, replace(at_lunch, hours=None)], service_times, NOW,
                             no_overtaking(weights))
    waits = estimate_waits(waiting, [open_one, at_lunch], service_times, NOW, no_overtaking(weights))
    assert [without[i] for i in range(4)] == pytest.approx([0, 4, 8, 12])
    # c2 comes back at NOW + 6 and takes the third customer then; c1 takes the fourth at NOW + 8.
    assert [waits[i] for i in range(4)] == pytest.approx([0, 4, 6, 8])


def test_a_closed_counter_whose_hours_are_over_stays_closed(
    make_ticket, make_counter, service_times, weights
):
    done = make_counter("c1", open=False, hours=((0.0, NOW - 30),))
    assert estimate_waits(queue_of(make_ticket, 1), [done], service_times, NOW, weights) == {0: None}


def test_a_shift_ending_stops_the_calls(make_ticket, make_counter, service_times, weights):
    short_day = make_counter("c1", hours=((0.0, NOW + 6),))
    waits = estimate_waits(queue_of(make_ticket, 3), [short_day], service_times, NOW, no_overtaking(weights))
    # Calls at 0 and 4; the next would be at 8, after its shift: nobody else serves the third.
    assert waits == {0: pytest.approx(0), 1: pytest.approx(4), 2: None}


def test_a_counter_open_outside_its_hours_calls_now_then_keeps_to_them(
    make_ticket, make_counter, service_times, weights
):
    # Signed in during its rostered lunch (working through it): it calls now, then breaks.
    late_lunch = make_counter("c1", hours=((0.0, NOW - 5), (NOW + 20, math.inf)))
    waits = estimate_waits(queue_of(make_ticket, 2), [late_lunch], service_times, NOW, no_overtaking(weights))
    assert waits == {0: pytest.approx(0), 1: pytest.approx(20)}


def test_unknown_hours_quote_as_before(make_ticket, make_counter, service_times, weights):
    waiting = queue_of(make_ticket, 5)
    counters = [make_counter("c1"), make_counter("c2", busy_until=NOW + 2)]
    whole_day = [replace(c, hours=((0.0, math.inf),)) for c in counters]
    assert estimate_waits(waiting, counters, service_times, NOW, weights) == pytest.approx(
        estimate_waits(waiting, whole_day, service_times, NOW, weights))


def test_the_single_ticket_estimate_knows_the_hours_too(make_ticket, make_counter, service_times, weights):
    waiting = queue_of(make_ticket, 6)
    counters = [make_counter("c1"), make_counter("c2", hours=((0.0, NOW + 5), (NOW + 50, math.inf)))]
    every = estimate_waits(waiting, counters, service_times, NOW, weights)
    assert estimate_wait(5, waiting, counters, service_times, NOW, weights) == pytest.approx(every[5])


def test_routing_sends_a_customer_to_the_kiosk_when_the_tellers_go_to_lunch(
    make_ticket, make_counter, catalog, service_times, weights
):
    waiting = queue_of(make_ticket, 3)
    kiosk = make_counter("k1", skills=("cash",), kind="kiosk", busy_until=NOW + 12)
    tellers = [make_counter("c1"), make_counter("c2")]
    customer = CustomerProfile(segment="mass")

    def route(counters):
        live = LiveState(now=NOW, waiting=tuple(waiting), counters=(*counters, kiosk),
                         service_times=service_times)
        return recommend_route(catalog["cash"], customer, None, live, weights)

    assert route(tellers).channel == "counter"  # a teller is free within minutes
    lunch = [replace(c, hours=((0.0, NOW + 1), (NOW + 45, math.inf))) for c in tellers]
    going = route(lunch)
    assert going.channel == "kiosk"
    assert going.alternative is not None and going.alternative.estimated_wait_minutes > 30


def test_overtaking_counts_the_counters_that_stay(make_ticket, make_counter, service_times, weights):
    """Older customers keep arriving; when one of two tellers leaves for lunch in 2 minutes, each
    of them holds the one left, so the younger customer's quote grows more."""
    from queueing.engine import PriorityClass

    elderly = [make_ticket(f"e{i}", arrived_at=NOW - 10 + i, priority_class=PriorityClass.ELDERLY)
               for i in range(10)]
    waiting = [*elderly, make_ticket("mass", arrived_at=NOW - 0.5)]
    both = [make_counter("c1"), make_counter("c2")]
    lunch = [both[0], replace(both[1], hours=((0.0, NOW + 2), (NOW + 60, math.inf)))]
    assert estimate_waits(waiting, lunch, service_times, NOW, weights)["mass"] > estimate_waits(
        waiting, both, service_times, NOW, weights)["mass"]
