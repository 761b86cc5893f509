"""What queueing offers other apps: the face greeting's priority ticket, served counts."""

import datetime as dt

from customers.face.hooks import Arrival, arrival_action, arrival_offers
from queueing import services
from queueing.models import Ticket
from servicedesk.hooks import served_counts
from tests.factories import make_customer, make_device


def _arrival(customer, branch):
    return Arrival(customer=customer, branch=branch, device=make_device(branch, "kiosk")[0])


def test_a_recognised_vip_takes_a_priority_ticket_with_one_tap(branch, deposit, open_counter):
    vip = make_customer(branch=branch, vip_tier=2)
    arrival = _arrival(vip, branch)
    offers = dict(arrival_offers(arrival))
    assert "ticket.priority" in offers

    result = arrival_action("ticket.priority").perform(arrival)

    ticket = Ticket.objects.get(customer=vip)
    assert ticket.number in result["message"]
    assert (ticket.source, ticket.priority_class, ticket.queue) == ("face", "vip", "V")
    assert "ticket.priority" not in dict(arrival_offers(arrival))  # one ticket is enough


def test_a_customer_who_is_not_a_vip_is_not_offered_a_priority_ticket(branch, deposit, clock):
    arrival = _arrival(make_customer(branch=branch, vip_tier=0), branch)
    assert "ticket.priority" not in dict(arrival_offers(arrival))


def test_servicedesk_counts_the_customers_each_branch_served(issue, open_counter, teller, branch,
                                                             other_branch, clock):
    issue(), issue()
    for _ in range(2):
        ticket = services.ticket_call_next(actor=teller, counter=open_counter)
        services.ticket_start_serving(actor=teller, ticket=ticket)
        services.ticket_finish(actor=teller, ticket=ticket)
    issue()  # still waiting: not served
    today = dt.datetime.now(dt.UTC)
    counts = served_counts([branch.pk, other_branch.pk], today - dt.timedelta(hours=1),
                           today + dt.timedelta(hours=1))
    assert counts.get(branch.pk) == 2
    assert counts.get(other_branch.pk, 0) == 0
    assert served_counts([branch.pk], today + dt.timedelta(hours=1),
                         today + dt.timedelta(hours=2)) == {}
