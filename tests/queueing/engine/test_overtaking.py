"""Quotes count the later arrivals who will be called first (engine/overtaking.py)."""

from dataclasses import replace

import pytest

from queueing.engine import PriorityClass, estimate_wait, estimate_waits

NOW = 30.0


def pension_morning(make_ticket, *, elderly_every=1.0, mass_at=29.5):
    """Older customers arriving one a minute for the last ten minutes, and a younger customer
    who has just taken a ticket behind them."""
    elderly = [make_ticket(f"e{i}", arrived_at=NOW - 10 + i * elderly_every,
                           priority_class=PriorityClass.ELDERLY) for i in range(int(10 / elderly_every))]
    return [*elderly, make_ticket("mass", arrived_at=mass_at)]


def test_older_customers_still_arriving_lengthen_a_younger_customers_quote(
    make_ticket, make_counter, service_times, weights
):
    waiting = pension_morning(make_ticket)
    counters = [make_counter(f"c{i}") for i in range(3)]
    without = estimate_waits(waiting, counters, service_times, NOW,
                             replace(weights, overtaking_window_minutes=0))
    quoted = estimate_waits(waiting, counters, service_times, NOW, weights)
    # Older customers keep arriving at one a minute, 4 minutes each on three counters: each minute
    # of waiting brings 4/3 minute of work ahead of the younger customer, until the hard cap.
    assert quoted["mass"] > without["mass"] + 3
    assert quoted["mass"] <= weights.max_wait_minutes - (NOW - 29.5) + 1e-9
    # Nobody overtakes the older customers themselves: their quotes do not move.
    assert all(quoted[t] == without[t] for t in without if t != "mass")


def test_the_single_ticket_estimate_agrees(make_ticket, make_counter, service_times, weights):
    waiting = pension_morning(make_ticket)
    counters = [make_counter(f"c{i}") for i in range(3)]
    every = estimate_waits(waiting, counters, service_times, NOW, weights)
    one = estimate_wait("mass", waiting, counters, service_times, NOW, weights)
    assert one == pytest.approx(every["mass"])


def test_a_slower_stream_of_older_customers_lengthens_it_less(
    make_ticket, make_counter, service_times, weights
):
    counters = [make_counter(f"c{i}") for i in range(3)]
    busy = estimate_waits(pension_morning(make_ticket), counters, service_times, NOW, weights)
    slower = pension_morning(make_ticket, elderly_every=2.5)
    quiet = estimate_waits(slower, counters, service_times, NOW, weights)
    assert quiet["mass"] < busy["mass"]


def test_arrivals_older_than_the_window_or_of_the_same_class_do_not_count(
    make_ticket, make_counter, service_times, weights
):
    counters = [make_counter("c1")]
    same_class = [make_ticket(i, arrived_at=NOW - 5 + i) for i in range(5)]
    assert estimate_waits(same_class, counters, service_times, NOW, weights) == estimate_waits(
        same_class, counters, service_times, NOW, replace(weights, overtaking_window_minutes=0))
    old = [make_ticket(f"e{i}", arrived_at=i * 0.5, priority_class=PriorityClass.ELDERLY) for i in range(6)]
    old.append(make_ticket("mass", arrived_at=3.5))
    plain = estimate_waits(old, counters, service_times, 20.0, replace(weights, overtaking_window_minutes=0))
    assert estimate_waits(old, counters, service_times, 20.0, weights) == plain


def test_the_ticket_printer_baseline_is_not_corrected(make_ticket, make_counter, service_times, weights):
    waiting = pension_morning(make_ticket)
    counters = [make_counter(f"c{i}", queue_prefixes=("A",)) for i in range(3)]
    fifo = estimate_waits(waiting, counters, service_times, NOW, weights, fifo=True)
    off = replace(weights, overtaking_window_minutes=0)
    plain = estimate_waits(waiting, counters, service_times, NOW, off, fifo=True)
    assert fifo == plain
