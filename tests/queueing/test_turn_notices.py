"""Turn-near notices: the customer picks "about N customers before me" on their ticket page and
gets exactly one e-mail or SMS when the queue crosses it."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.urls import reverse

from queueing import services, tasks
from queueing.models import TicketEvent, TurnNotice, TurnNoticeChoice
from tests.factories import make_customer


def _choose(client, ticket, **data):
    return client.post(reverse("queue-ticket-notice", args=[ticket.public_token]), data)


def _refresh(branch, django_capture_on_commit_callbacks):
    """One estimate refresh as the worker runs it: the notices go out after its commit."""
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_refresh(branch=branch)


@pytest.fixture
def line(issue, branch):
    """Five walk-ins waiting; the last one wants an e-mail when about 2 are before them."""
    tickets = [issue() for _ in range(5)]
    services.queue_refresh(branch=branch)
    return tickets


def test_crossing_the_threshold_sends_one_notice_however_often_the_refresh_runs(
        client, line, branch, mailoutbox, django_capture_on_commit_callbacks):
    mine = line[-1]
    response = _choose(client, mine, kind="position", threshold=2, channel="email",
                       address="wang@example.com")
    assert response.status_code == 302
    _refresh(branch, django_capture_on_commit_callbacks)
    assert mailoutbox == []  # 4 before me: not yet

    services.ticket_cancel(ticket=line[0])
    services.ticket_cancel(ticket=line[1])
    for _ in range(3):
        _refresh(branch, django_capture_on_commit_callbacks)
    tasks.send_turn_notices(branch.pk)  # a retried worker

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["wang@example.com"]
    assert f"ticket {mine.number}" in mailoutbox[0].body or mine.number in mailoutbox[0].body
    page = client.get(reverse("queue-ticket", args=[mine.public_token])).content.decode()
    assert 'data-outcome="sent"' in page


def test_going_back_and_crossing_again_does_not_resend(
        client, issue, open_counter, line, branch, lobby_manager, mailoutbox, clock,
        django_capture_on_commit_callbacks):
    mine = line[-1]
    _choose(client, mine, kind="position", threshold=3, channel="email", address="li@example.com")
    services.ticket_cancel(ticket=line[0])
    _refresh(branch, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1

    # A later customer is moved up by the lobby manager (my place goes back), then cancels.
    clock.shift(dt.timedelta(minutes=1))
    ahead = issue()
    services.ticket_prioritise(actor=lobby_manager, ticket=ahead, boost_minutes=120)
    _refresh(branch, django_capture_on_commit_callbacks)
    mine.refresh_from_db()
    assert (mine.position, mine.position_reason) == (5, "priority")
    services.ticket_cancel(ticket=ahead)
    _refresh(branch, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 1
    assert TurnNotice.objects.filter(ticket=mine).count() == 1


def test_an_sms_goes_to_the_customer_on_file_and_staff_see_it_on_the_timeline(
        client, issue, open_counter, branch, capsys, django_capture_on_commit_callbacks, teller):
    customer = make_customer(branch=branch, phone="13900001111")
    mine = issue(customer=customer)
    assert _choose(client, mine, kind="minutes", threshold=10, channel="sms").status_code == 302
    _refresh(branch, django_capture_on_commit_callbacks)

    assert capsys.readouterr().out.count("[SMS to 13900001111]") == 1
    client.force_login(teller)
    timeline = client.get(reverse("queue-ticket-timeline", args=[mine.pk])).content.decode()
    assert 'data-step="notice"' in timeline
    assert "约剩 10 分钟 · 短信 · 已发送" in timeline


def test_in_quiet_hours_the_notice_is_held_back_not_sent_later(
        client, line, branch, mailoutbox, clock, django_capture_on_commit_callbacks):
    # The clock stands at 10:00 in the branch; quiet from 09:30 to 10:30.
    branch.queue_settings = {**(branch.queue_settings or {}),
                             "notice_quiet_start": "09:30", "notice_quiet_end": "10:30"}
    branch.save(update_fields=["queue_settings"])
    mine = line[1]
    _choose(client, mine, kind="position", threshold=1, channel="email", address="z@example.com")
    _refresh(branch, django_capture_on_commit_callbacks)
    assert mailoutbox == []
    notice = TurnNotice.objects.get(ticket=mine)
    assert notice.outcome == "quiet"

    clock.shift(dt.timedelta(hours=1))  # after quiet hours: still not sent, it would be stale
    _refresh(branch, django_capture_on_commit_callbacks)
    assert mailoutbox == []
    page = client.get(reverse("queue-ticket", args=[mine.public_token])).content.decode()
    assert 'data-outcome="quiet"' in page


@pytest.mark.parametrize("threshold", ["0", "31", "many", ""])
def test_a_bad_threshold_is_refused_with_the_field_named(client, line, threshold):
    mine = line[-1]
    response = client.post(reverse("api-queue-public-notice", args=[mine.public_token]),
                           {"kind": "position", "threshold": threshold, "channel": "email",
                            "address": "a@example.com"}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) >= {"code", "detail", "errors"} and "threshold" in body["errors"]
    page = _choose(client, mine, kind="position", threshold=threshold, channel="email",
                   address="a@example.com")
    assert page.status_code == 400
    assert "threshold" in page.context["notice_form"].errors
    assert not TurnNoticeChoice.objects.filter(ticket=mine).exists()


def test_a_walk_in_without_contact_must_give_one(client, line):
    response = client.post(reverse("api-queue-public-notice", args=[line[0].public_token]),
                           {"kind": "position", "threshold": 2, "channel": "sms",
                            "address": "12345"}, content_type="application/json")
    assert response.status_code == 400
    assert "address" in response.json()["errors"]
    response = client.post(reverse("api-queue-public-notice", args=[line[0].public_token]),
                           {"kind": "minutes", "threshold": 5, "channel": "sms"},
                           content_type="application/json")
    assert response.status_code == 400
    assert "address" in response.json()["errors"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_send_one_notice(require_service, issue, branch, mailoutbox, clock):
    require_service("postgres")
    tickets = [issue() for _ in range(2)]
    services.queue_refresh(branch=branch)
    services.turn_notice_choose(ticket=tickets[1], kind="position", threshold=3,
                                channel="email", address="c@example.com")
    start, errors = threading.Barrier(6), []

    def worker():
        try:
            start.wait()
            services.turn_notices_send_due(branch=branch)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(mailoutbox) == 1
    assert TicketEvent.objects.filter(ticket=tickets[1], kind="notice").count() == 1


def test_a_walk_in_choosing_again_keeps_the_number_given_before(client, line):
    url = reverse("api-queue-public-notice", args=[line[-1].public_token])
    first = client.post(url, {"kind": "position", "threshold": 2, "channel": "sms",
                              "address": "139 0000 2222"}, content_type="application/json")
    assert first.status_code == 201
    again = client.post(url, {"kind": "minutes", "threshold": 5, "channel": "sms"},
                        content_type="application/json")
    assert again.status_code == 201
    assert (again.json()["kind"], again.json()["threshold"]) == ("minutes", 5)
    assert TurnNoticeChoice.objects.get(ticket=line[-1]).address == "13900002222"
