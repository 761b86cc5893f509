"""A counter's work profile decides which queue it calls from; the score decides within it."""

import pytest

from queueing.engine import PolicyWeights, ProfileMode, WorkProfile, pick_next

NO_SHORT_JOBS = PolicyWeights(short_job_weight=0)
EVERYTHING = ("cash", "card", "wealth")


def test_an_order_profile_serves_its_first_queue_before_an_older_ticket_of_the_next(make_ticket,
                                                                                       make_counter):
    tickets = [make_ticket(1, service="cash", arrived_at=0), make_ticket(2, service="card", arrived_at=5)]
    quick_first = make_counter("c1", skills=EVERYTHING, work_profile=WorkProfile(queues=("B", "A")))
    assert pick_next(quick_first, tickets, 10, NO_SHORT_JOBS) == 2


def test_an_order_profile_falls_through_to_its_next_queue_when_the_first_is_empty(make_ticket,
                                                                                  make_counter):
    counter = make_counter("c1", skills=EVERYTHING, work_profile=WorkProfile(queues=("W", "A")))
    assert pick_next(counter, [make_ticket(1, service="cash")], 10, NO_SHORT_JOBS) == 1


def test_a_counter_never_calls_a_queue_outside_its_profile(make_ticket, make_counter):
    counter = make_counter("c1", skills=EVERYTHING, work_profile=WorkProfile(queues=("W",)))
    assert pick_next(counter, [make_ticket(1, service="cash")], 10, NO_SHORT_JOBS) is None


def test_a_ratio_profile_shares_calls_between_its_queues(make_ticket, make_counter):
    profile = WorkProfile(queues=("A", "B"), mode=ProfileMode.RATIO, ratios=(2, 1))
    tickets = [make_ticket(1, service="cash", arrived_at=5), make_ticket(2, service="card", arrived_at=0)]

    def calls(a, b):
        return pick_next(make_counter("c1", skills=EVERYTHING, work_profile=profile,
                                      calls_by_queue={"A": a, "B": b}), tickets, 10, NO_SHORT_JOBS)

    assert calls(0, 0) == 1  # A is owed two thirds of the calls
    assert calls(2, 0) == 2  # after two A calls, B's turn
    assert calls(2, 1) == 1


def test_a_ticket_past_the_hard_cap_comes_first_whatever_the_profile_order(make_ticket, make_counter):
    weights = PolicyWeights(short_job_weight=0, max_wait_minutes=20)
    tickets = [make_ticket(1, service="card", arrived_at=30), make_ticket(2, service="cash", arrived_at=0)]
    counter = make_counter("c1", skills=EVERYTHING, work_profile=WorkProfile(queues=("B", "A")))
    assert pick_next(counter, tickets, 35, weights) == 2


def test_a_ratio_profile_needs_one_ratio_per_queue():
    with pytest.raises(ValueError):
        WorkProfile(queues=("A", "B"), mode=ProfileMode.RATIO, ratios=(1,))
