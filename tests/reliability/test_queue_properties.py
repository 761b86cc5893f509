"""Property-based tests (hypothesis) for the queue: ticket numbers stay unique and gap-free per
branch, day and prefix under any interleaving of issues, cancels and abandoned issues; and the
routing engine never leaves a waiting ticket that an open counter could serve without a call
(those that no open counter can serve get no estimate: the lobby shows them as flagged)."""

import string
from collections import defaultdict

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from queueing import engine, services
from queueing.engine import Channel, Complexity, CounterState, PolicyWeights, PriorityClass, Reason
from queueing.models import Ticket, TicketStatus
from tests.factories import make_branch, make_service_type

# --- numbering (database) -------------------------------------------------------------------

operations = st.lists(
    st.one_of(
        st.tuples(st.just("issue"), st.integers(0, 2)),
        st.tuples(st.just("cancel"), st.integers(0, 50)),
        st.tuples(st.just("abandon"), st.integers(0, 2)),
    ),
    min_size=1, max_size=15,
)


class Abandoned(Exception):
    """The kiosk crashed after taking a number: the whole issue rolls back."""


@pytest.fixture
def catalog(db):
    return [make_service_type("PDEP", target_minutes=5),
            make_service_type("PLOAN", zone_kind="non_cash", complexity="special", target_minutes=30),
            make_service_type("PWEALTH", zone_kind="wealth", complexity="complex", target_minutes=15)]


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=operations)
def test_ticket_numbers_stay_unique_and_gap_free_per_prefix_whatever_happens(steps, catalog, clock):
    branch = make_branch()
    issued: list[Ticket] = []
    for action, argument in steps:
        if action == "issue":
            issued.append(services.ticket_issue(issue=services.IssueRequest(
                branch=branch, service_type=catalog[argument],
                source="kiosk")))
        elif action == "abandon":
            with pytest.raises(Abandoned), transaction.atomic():
                services.ticket_issue(issue=services.IssueRequest(
                    branch=branch, service_type=catalog[argument], source="kiosk"))
                raise Abandoned
        else:
            cancellable = [t for t in issued if t.status == TicketStatus.WAITING]
            if cancellable:
                ticket = cancellable[argument % len(cancellable)]
                services.ticket_cancel(ticket=ticket)
                ticket.refresh_from_db()

    by_prefix = defaultdict(list)
    for ticket in Ticket.objects.filter(branch=branch):
        by_prefix[(ticket.business_date, ticket.prefix)].append(ticket)
        assert ticket.number == f"{ticket.prefix}{ticket.sequence:03d}"
    assert sum(len(tickets) for tickets in by_prefix.values()) == len(issued)
    for tickets in by_prefix.values():
        assert sorted(t.sequence for t in tickets) == list(range(1, len(tickets) + 1))


# --- routing and call-next (pure engine) ----------------------------------------------------

SERVICES = ["DEP", "LOAN", "FX", "CARD"]
LANGUAGES = ["zh-hans", "en", "yue"]
WEIGHTS = PolicyWeights()
catalog_profiles = {
    code: engine.ServiceProfile(code=code, complexity=Complexity.INSTANT, target_minutes=minutes,
                                channels=frozenset(Channel))
    for code, minutes in zip(SERVICES, [5, 30, 10, 8], strict=True)
}
service_times = engine.ServiceTimeModel(catalog_profiles)

counters = st.lists(
    st.builds(CounterState, id=st.integers(), kind=st.sampled_from(list(Channel)),
              skills=st.frozensets(st.sampled_from(SERVICES)),
              languages=st.frozensets(st.sampled_from(LANGUAGES), min_size=1),
              open=st.booleans(), busy_until=st.one_of(st.none(), st.floats(0, 60)),
              specialties=st.frozensets(st.sampled_from(SERVICES), max_size=1)),
    max_size=6, unique_by=lambda counter: counter.id,
)
waiting_tickets = st.lists(
    st.builds(engine.WaitingTicket, id=st.integers(), service_code=st.sampled_from(SERVICES),
              channel=st.sampled_from(list(Channel)), queue_prefix=st.sampled_from("ABVST"),
              priority_class=st.sampled_from(list(PriorityClass)), arrived_at=st.floats(0, 120),
              vip_tier=st.integers(0, 3), language=st.one_of(st.none(), st.sampled_from(LANGUAGES)),
              boost=st.floats(0, 30)),
    max_size=15, unique_by=lambda ticket: ticket.id,
)
NOW = 120.0


def _servable(ticket, counter_list, *, overdue=False):
    return any(c.open and c.can_serve(ticket, overdue=overdue) for c in counter_list)


@settings(max_examples=300, deadline=None)
@given(waiting=waiting_tickets, counter_list=counters)
def test_every_waiting_ticket_an_open_counter_can_serve_gets_called_and_the_rest_are_flagged(
        waiting, counter_list):
    waits = engine.estimate_waits(waiting, counter_list, service_times, NOW, WEIGHTS)
    for ticket in waiting:
        if _servable(ticket, counter_list):
            assert waits[ticket.id] is not None and waits[ticket.id] >= 0
        if not _servable(ticket, counter_list, overdue=True):
            assert waits[ticket.id] is None  # no estimate: shown as "no counter open for this"


@settings(max_examples=300, deadline=None)
@given(waiting=waiting_tickets, counter_list=counters)
def test_call_next_picks_only_what_the_counter_can_serve_and_never_idles_with_work_waiting(
        waiting, counter_list):
    for counter in counter_list:
        picked = engine.pick_next_ticket(counter, waiting, NOW, WEIGHTS, service_times)
        if picked is not None:
            overdue = NOW - picked.arrived_at > WEIGHTS.max_wait_minutes
            assert counter.open and counter.can_serve(picked, overdue=overdue)
        elif counter.open:
            assert not any(counter.can_serve(ticket) for ticket in waiting)


@settings(max_examples=300, deadline=None)
@given(waiting=waiting_tickets, counter_list=counters, service=st.sampled_from(SERVICES),
       channels=st.frozensets(st.sampled_from(list(Channel)), min_size=1),
       language=st.sampled_from(LANGUAGES), vip=st.integers(0, 3),
       age=st.one_of(st.none(), st.integers(18, 95)))
def test_a_new_ticket_is_routed_to_a_channel_that_can_serve_it_or_flagged(
        waiting, counter_list, service, channels, language, vip, age):
    profile = engine.ServiceProfile(code=service, complexity=Complexity.INSTANT, target_minutes=5,
                                    channels=channels)
    customer = engine.CustomerProfile(vip_tier=vip, age=age, language=language)
    live = engine.LiveState(now=NOW, waiting=tuple(waiting), counters=tuple(counter_list),
                            service_times=service_times)
    chosen = engine.recommend_route(profile, customer, None, live, WEIGHTS)
    if chosen.estimated_wait_minutes is None:
        assert Reason.NO_OPEN_CHANNEL in chosen.reasons
        return
    assert chosen.channel in channels and chosen.estimated_wait_minutes >= 0
    new = engine.WaitingTicket(id="new", service_code=service, channel=chosen.channel,
                               queue_prefix=chosen.queue_prefix, priority_class=chosen.priority_class,
                               arrived_at=NOW, language=chosen.language_required)
    assert _servable(new, counter_list, overdue=True)
    assert set(chosen.queue_prefix) <= set(string.ascii_uppercase)
