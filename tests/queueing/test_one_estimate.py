"""One wait estimate per ticket, the same on the ticket page, the kiosk's ticket, the lobby and
the dashboard; a place in line only goes back for a reason the customer is shown."""

import datetime as dt

from django.test import RequestFactory
from django.urls import reverse

from customers.models import Customer
from kiosk import payloads as kiosk_payloads
from queueing import services
from tests.factories import make_customer


def test_every_surface_shows_the_same_estimate(client, lobby_manager, issue, open_counter, branch,
                                               clock):
    tickets = [issue() for _ in range(4)]
    clock.shift(dt.timedelta(minutes=2))
    services.queue_refresh(branch=branch)
    last = tickets[-1]
    last.refresh_from_db()
    page = client.get(reverse("api-queue-public", args=[last.public_token])).json()
    html = client.get(reverse("queue-ticket", args=[last.public_token])).content.decode()
    kiosk = kiosk_payloads.ticket(RequestFactory().get("/"), last)
    client.force_login(lobby_manager)
    state = client.get(reverse("api-queue-state", args=[branch.code])).json()
    lobby = client.get(reverse("api-queue-lobby-state", args=[branch.code])).json()
    on_dashboard = next(t for t in state["waiting"] if t["number"] == last.number)
    zone = next(q for q in lobby["queues"] if q["queue"] == last.queue)
    assert page["estimated_wait_minutes"] > 0
    assert (page["estimated_wait_minutes"] == on_dashboard["estimated_wait_minutes"]
            == zone["estimated_minutes"] == kiosk["estimated_wait_minutes"])
    assert f'<span id="ticket-estimate">{page["estimated_wait_minutes"]}</span>' in html


def test_a_priority_customer_going_ahead_is_shown_as_the_reason(client, issue, open_counter, branch,
                                                                 clock):
    first, second = issue(), issue()
    second.refresh_from_db()
    assert second.position == 2
    vip = make_customer(branch=branch, vip_tier=1)
    clock.shift(dt.timedelta(minutes=1))
    issue(customer=Customer.objects.get(pk=vip.pk))
    services.queue_refresh(branch=branch)  # what the refresh task does after each change
    page = client.get(reverse("api-queue-public", args=[second.public_token])).json()
    assert page["position"] == 3
    assert "priority" in page["position_reason"]["en"]
    assert first.number != second.number


def test_an_ordinary_newcomer_moves_nobody_back(client, issue, open_counter, clock):
    first, second = issue(), issue()
    clock.shift(dt.timedelta(minutes=1))
    issue()
    services.queue_refresh(branch=open_counter.branch)
    page = client.get(reverse("api-queue-public", args=[second.public_token])).json()
    assert (page["position"], page["position_reason"]) == (2, None)
    first.refresh_from_db()
    assert first.position == 1
