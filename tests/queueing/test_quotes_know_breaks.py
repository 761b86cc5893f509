"""A customer's quote knows the counters' scheduled breaks and rosters: a teller leaving for lunch
in five minutes, or coming back from it, changes how long the customers waiting now will wait."""

import datetime as dt

from django.urls import reverse

from appointments.models import CounterBreak
from insights.models import Roster, RosterSlot, RosterStatus, SlotKind
from queueing import services

# The shared clock starts at 10:00 Beijing time, inside the test branch's hours (09:00-17:00).


def quote(client, ticket) -> float:
    return client.get(reverse("api-queue-public", args=[ticket.public_token])).json()[
        "estimated_wait_minutes"]


def test_a_lunch_break_in_five_minutes_lengthens_the_quote_of_the_third_customer(
        client, issue, open_counter, branch, clock):
    tickets = [issue() for _ in range(3)]
    services.queue_refresh(branch=branch)
    without_break = quote(client, tickets[2])
    assert without_break < 15  # two 5-minute deposits ahead at the only counter

    CounterBreak.objects.create(service_point=open_counter, start=dt.time(10, 5), end=dt.time(11, 0))
    services.queue_refresh(branch=branch)
    # The first customer takes 5 minutes; at 10:05 the break starts, so the second and third
    # customers wait for the teller's return at 11:00.
    assert quote(client, tickets[1]) >= 55 and quote(client, tickets[2]) >= 60


def test_a_paused_counter_on_its_break_is_quoted_from_its_return(client, issue, open_counter, teller,
                                                                 branch, clock):
    CounterBreak.objects.create(service_point=open_counter, start=dt.time(10, 0), end=dt.time(10, 20))
    services.counter_pause(actor=teller, counter=open_counter, reason="lunch")
    ticket = issue()
    services.queue_refresh(branch=branch)
    assert 19 <= quote(client, ticket) <= 21


def test_a_published_roster_ending_a_tellers_day_stops_the_counter_in_the_quotes(
        client, issue, open_counter, teller, branch, clock):
    roster = Roster.objects.create(branch=branch, date=dt.date(2026, 12, 7), status=RosterStatus.PUBLISHED)
    # 10:00-10:30 at counter 01 (half-hour 20), nothing after: the counter closes at 10:30.
    RosterSlot.objects.create(roster=roster, slot=20, teller=teller, kind=SlotKind.COUNTER,
                              counter=open_counter)
    tickets = [issue() for _ in range(8)]
    services.queue_refresh(branch=branch)
    page = client.get(reverse("api-queue-public", args=[tickets[-1].public_token])).json()
    # Six deposits fit before 10:30; nobody else serves the last two today.
    assert quote(client, tickets[5]) <= 30
    assert page["estimated_wait_minutes"] is None
