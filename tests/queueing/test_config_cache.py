"""The branch's configuration is read once and cached, and every write to it is seen by the next
request: a kiosk never issues by yesterday's prefixes, hours or counters."""

from django.urls import reverse

from branches.models import CalendarException, Zone
from tests.factories import make_device
from tests.queueing.conftest import OPEN_MORNING


def _issue(client, branch, token):
    return client.post(reverse("api-queue-issue", args=[branch.code]), {"service": "DEPOSIT"},
                       content_type="application/json", HTTP_AUTHORIZATION=f"Device {token}")


def test_a_new_ticket_prefix_is_used_by_the_next_ticket(client, branch, deposit, open_counter):
    _device, token = make_device(branch, "kiosk")
    assert _issue(client, branch, token).json()["number"].startswith("A")  # cached from here on
    zone = Zone.objects.get(branch=branch, kind=deposit.zone_kind)
    zone.ticket_prefix = "C"
    zone.save()
    assert _issue(client, branch, token).json()["number"] == "C001"


def test_a_branch_closed_for_the_day_issues_no_more_tickets(client, branch, deposit, open_counter):
    _device, token = make_device(branch, "kiosk")
    assert _issue(client, branch, token).status_code == 201
    CalendarException.objects.create(branch=branch, date=OPEN_MORNING.date(),
                                     kind=CalendarException.Kind.CLOSED)
    response = _issue(client, branch, token)
    assert response.status_code == 400 and "branch" in response.json()["errors"]


def test_a_counter_that_closes_is_no_longer_offered(client, branch, deposit, open_counter, teller):
    from queueing import services

    _device, token = make_device(branch, "kiosk")
    assert _issue(client, branch, token).json()["quoted_wait_minutes"] is not None
    services.counter_close(actor=teller, counter=open_counter)
    assert _issue(client, branch, token).json()["quoted_wait_minutes"] is None
