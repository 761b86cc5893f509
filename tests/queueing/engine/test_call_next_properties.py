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
WEIGHTS = PolicyWeights()

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
