"""The customer's personal calendar feed: one secret URL, every appointment and class, revocable."""

from urllib.parse import urlsplit

import pytest

from appointments import groups
from appointments.models import CalendarFeed
from appointments.services import appointment_book, appointment_cancel
from compliance.models import AuditEvent
from tests.appointments.conftest import at

pytestmark = pytest.mark.usefixtures("frozen")


def new_feed(client) -> str:
    response = client.post("/api/v1/appointments/feed/")
    assert response.status_code == 201
    return urlsplit(response.json()["url"]).path


def test_the_feed_lists_appointments_and_classes_without_signing_in(client, customer, appt_branch, deposit):
    booked = appointment_book(
        actor=None, customer=customer, branch=appt_branch, service_type=deposit, start=at(10, 30)
    )
    session = groups.group_session_create(
        actor=None, branch=appt_branch, title="防诈骗讲座", start=at(14), end=at(15), capacity=5
    )
    groups.group_session_join(actor=None, session=session, customer=customer)
    client.force_login(customer.user)
    path = new_feed(client)
    client.logout()
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.count("BEGIN:VEVENT") == 2
    assert f"UID:appointment-{booked.code}@branchsvc" in text
    assert "防诈骗讲座" in text
    assert "DTSTART:20251009T023000Z" in text  # 10:30 in Beijing


def test_a_cancelled_appointment_stays_in_the_feed_as_cancelled(client, customer, appt_branch, deposit):
    booked = appointment_book(
        actor=None, customer=customer, branch=appt_branch, service_type=deposit, start=at(10, 30)
    )
    appointment_cancel(actor=None, appointment=booked)
    client.force_login(customer.user)
    text = client.get(new_feed(client)).content.decode()
    assert "STATUS:CANCELLED" in text


def test_revoking_stops_the_feed_at_once(client, customer):
    client.force_login(customer.user)
    path = new_feed(client)
    assert client.delete("/api/v1/appointments/feed/").status_code == 204
    assert client.get(path).status_code == 404
    assert AuditEvent.objects.filter(action="calendar_feed.revoke").count() == 1


def test_a_new_link_replaces_the_old_one(client, customer):
    client.force_login(customer.user)
    old = new_feed(client)
    new = new_feed(client)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 1


def test_only_the_tokens_digest_is_stored(client, customer):
    client.force_login(customer.user)
    path = new_feed(client)
    token = path.rsplit("/", 1)[-1].removesuffix(".ics")
    assert not CalendarFeed.objects.filter(token_digest__contains=token).exists()


def test_the_feed_page_shows_the_link_once_and_revokes_it(client, customer):
    client.force_login(customer.user)
    page = client.post("/appointments/calendar-feed/", {"action": "create"}).content.decode()
    assert "/appointments/feed/" in page
    assert "/appointments/feed/" not in client.get("/appointments/calendar-feed/").content.decode()
    client.post("/appointments/calendar-feed/", {"action": "revoke"})
    assert not CalendarFeed.objects.filter(revoked_at__isnull=True).exists()
