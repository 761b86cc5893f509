"""Properties of call-next that must hold for any lobby, checked on generated ones."""

from hypothesis import given, settings
from hypothesis import strategies as st

from queueing.engine import (
    Channel,
    CounterState,
    PolicyWeights,
    PriorityClass,
    ServiceTimeModel,
    WaitingTicket,
    estimate_waits,
    pick_next,
)

SERVICES = ("cash", "card", "wealth")
# The forward simulation alone: no expected later arrivals (engine/overtaking.py).
WEIGHTS = PolicyWeights(overtaking_window_minutes=0)

tickets = st.lists(
    st.builds(
        lambda index, service, arrived, klass, tier, boost: WaitingTicket(
            id=index,
            service_code=service,
            channel=Channel.COUNTER,
            queue_prefix="A",
            priority_class=klass,
            arrived_at=arrived,
            vip_tier=tier,
            boost=boost,
        ),
        index=st.integers(),
        service=st.sampled_from(SERVICES),
        arrived=st.floats(min_value=0, max_value=120),
        klass=st.sampled_from(list(PriorityClass)),
        tier=st.integers(min_value=0, max_value=3),
        boost=st.sampled_from([0.0, 5.0]),
    ),
    max_size=25,
    unique_by=lambda ticket: ticket.id,
)
skills = st.frozensets(st.sampled_from(SERVICES), min_size=1)


@settings(max_examples=100, deadline=None)
@given(waiting=tickets, counter_skills=skills)
def test_a_counter_only_ever_calls_a_ticket_it_can_serve(waiting, counter_skills):
    counter = CounterState(id="c1", kind=Channel.COUNTER, skills=counter_skills)
    chosen = pick_next(counter, waiting, 130.0, WEIGHTS)
    servable = [t for t in waiting if t.service_code in counter_skills]
    if not servable:
        assert chosen is None
    else:
        assert chosen in {t.id for t in servable}


@settings(max_examples=100, deadline=None)
@given(waiting=tickets, counter_skills=skills)
def test_the_longest_overdue_ticket_is_called_first(waiting, counter_skills):
    counter = CounterState(id="c1", kind=Channel.COUNTER, skills=counter_skills)
    now = 130.0
    overdue = [
        t
        for t in waiting
        if t.service_code in counter_skills and now - t.arrived_at > WEIGHTS.max_wait_minutes
    ]
    chosen = pick_next(counter, waiting, now, WEIGHTS)
    if overdue:
        oldest = min(t.arrived_at for t in overdue)
        assert next(t for t in waiting if t.id == chosen).arrived_at == oldest


@settings(max_examples=100, deadline=None)
@given(waiting=tickets)
def test_every_ticket_an_open_counter_can_serve_gets_an_estimate(waiting):
    counters = [
        CounterState(id="c1", kind=Channel.COUNTER, skills=frozenset({"cash", "card"})),
        CounterState(id="c2", kind=Channel.COUNTER, skills=frozenset({"card"}), busy_until=135),
    ]
    waits = estimate_waits(waiting, counters, ServiceTimeModel({}), 130.0, WEIGHTS)
    for ticket in waiting:
        if ticket.service_code == "wealth":
            assert waits[ticket.id] is None
        else:
            assert waits[ticket.id] is not None and waits[ticket.id] >= 0


def _forward_one_by_one(waiting, counters, times, now, weights):
    """The estimator written plainly: every free counter rescores every waiting ticket."""
    import heapq

    from queueing.engine.scoring import pick_next_ticket

    remaining = list(waiting)
    result = {ticket.id: None for ticket in remaining}
    free = [(max(now, c.busy_until or now), i, c) for i, c in enumerate(counters) if c.open]
    heapq.heapify(free)
    while free and remaining:
        at, index, counter = heapq.heappop(free)
        ticket = pick_next_ticket(counter, remaining, at, weights, times)
        if ticket is None:
            continue
        result[ticket.id] = at - now
        remaining.remove(ticket)
        heapq.heappush(free, (at + times.expected(ticket.service_code, counter.kind), index, counter))
    return result


mixed_tickets = st.lists(
    st.builds(
        lambda index, service, arrived, klass, tier, window, language: WaitingTicket(
            id=index, service_code=service, channel=Channel.COUNTER, queue_prefix="A",
            priority_class=klass, arrived_at=arrived, vip_tier=tier,
            appointment_window=None if window is None else (window, window + 15),
            language=language),
        index=st.integers(),
        service=st.sampled_from(SERVICES),
        arrived=st.floats(min_value=0, max_value=140) | st.floats(min_value=115, max_value=140),
        klass=st.sampled_from(list(PriorityClass)),
        tier=st.integers(min_value=0, max_value=3),
        window=st.none() | st.floats(min_value=100, max_value=170) | st.floats(min_value=131, max_value=150),
        language=st.sampled_from([None, None, "en"]),
    ),
    max_size=40,
    unique_by=lambda ticket: ticket.id,
)


@settings(max_examples=150, deadline=None)
@given(waiting=mixed_tickets)
def test_the_fast_estimator_agrees_with_rescoring_every_ticket_at_every_call(waiting):
    counters = [
        CounterState(id="c1", kind=Channel.COUNTER, skills=frozenset({"cash", "card"})),
        CounterState(id="c2", kind=Channel.COUNTER, skills=frozenset(SERVICES), busy_until=138,
                     languages=frozenset({"zh-hans", "en"})),
        CounterState(id="w", kind=Channel.COUNTER, skills=frozenset(SERVICES),
                     specialties=frozenset({"wealth"}), busy_until=150),
    ]
    times = ServiceTimeModel({})
    assert estimate_waits(waiting, counters, times, 130.0, WEIGHTS) == _forward_one_by_one(
        waiting, counters, times, 130.0, WEIGHTS)


def test_an_appointment_whose_window_opens_during_the_estimate_overtakes_from_then_on():
    def ticket(id, arrived, **extra):
        return WaitingTicket(id=id, service_code="cash", channel=Channel.COUNTER,
                             queue_prefix="A", priority_class=extra.pop("klass", PriorityClass.NORMAL),
                             arrived_at=arrived, **extra)

    waiting = [ticket("first", 129.0), ticket("second", 129.2),
               ticket("booked", 129.5, klass=PriorityClass.APPOINTMENT,
                      appointment_window=(134.0, 149.0))]
    counter = CounterState(id="c1", kind=Channel.COUNTER, skills=frozenset({"cash"}))
    times = ServiceTimeModel({})
    waits = estimate_waits(waiting, [counter], times, 130.0, WEIGHTS)
    assert waits == _forward_one_by_one(waiting, [counter], times, 130.0, WEIGHTS)
    assert waits["first"] < waits["booked"] < waits["second"]
