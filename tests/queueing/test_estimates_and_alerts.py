import datetime as dt

from django.urls import reverse

from queueing import services, tasks
from queueing.alerts import recent_alerts
from queueing.models import TicketStatus


def _kinds(branch):
    return [alert["kind"] for alert in recent_alerts(branch)]


def test_a_refresh_gives_every_waiting_ticket_its_place_and_estimate(issue, open_counter, branch):
    tickets = [issue() for _ in range(3)]
    services.queue_refresh(branch=branch)
    for ticket in tickets:
        ticket.refresh_from_db()
    assert [t.position for t in tickets] == [1, 2, 3]
    estimates = [t.estimated_wait_seconds for t in tickets]
    assert estimates == sorted(estimates) and estimates[0] == 0 and estimates[2] > 0


def test_estimates_learn_from_finished_services(issue, open_counter, teller, branch, clock):
    # The catalog says 5 minutes; this branch's deposits take 10.
    for _ in range(10):
        ticket = issue()
        services.ticket_call_next(actor=teller, counter=open_counter)
        services.ticket_start_serving(actor=teller, ticket=ticket)
        clock.shift(dt.timedelta(minutes=10))
        services.ticket_finish(actor=teller, ticket=ticket)
    from queueing.state import forget_service_times

    forget_service_times()
    issue()
    second = issue()
    services.queue_refresh(branch=branch)
    second.refresh_from_db()
    assert second.estimated_wait_seconds > 7 * 60


def test_a_long_wait_raises_one_alert(issue, branch, clock):
    issue()
    clock.shift(dt.timedelta(minutes=16))
    services.queue_refresh(branch=branch)
    services.queue_refresh(branch=branch)
    assert _kinds(branch) == ["long_wait"]
    assert "A001" in recent_alerts(branch)[0]["text"]["en"]


def test_an_idle_counter_with_customers_waiting_raises_an_alert(issue, open_counter, branch, clock):
    issue()
    services.queue_refresh(branch=branch)
    assert "idle_counter" not in _kinds(branch)
    clock.shift(dt.timedelta(minutes=4))
    services.queue_refresh(branch=branch)
    assert "idle_counter" in _kinds(branch)


def test_a_rising_estimate_raises_an_alert(issue, open_counter, branch, clock):
    issue()
    services.queue_refresh(branch=branch)
    for _ in range(4):
        issue()
    services.queue_refresh(branch=branch)
    assert "estimate_rising" in _kinds(branch)


def test_the_periodic_scan_marks_no_shows_and_is_safe_to_repeat(issue, open_counter, teller, clock):
    ticket = issue()
    services.ticket_call_next(actor=teller, counter=open_counter)
    services.ticket_recall(actor=teller, ticket=ticket)
    services.ticket_recall(actor=teller, ticket=ticket)
    clock.shift(dt.timedelta(minutes=5))
    tasks.scan_queues()
    tasks.scan_queues()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NO_SHOW
    assert [e.kind for e in ticket.events.all()].count("no_show") == 1


def test_branch_settings_override_the_recall_limit(issue, open_counter, teller, branch):
    import pytest

    from queueing.errors import TicketStateError

    branch.queue_settings = {"recall_limit": 0, "unknown": 1, "max_wait_minutes": "bad"}
    branch.save(update_fields=["queue_settings"])
    ticket = issue()
    services.ticket_call_next(actor=teller, counter=open_counter)
    with pytest.raises(TicketStateError):
        services.ticket_recall(actor=teller, ticket=ticket)


def test_alerts_show_the_branchs_clock_time(client, lobby_manager, issue, branch, clock):
    """The clock is frozen at 10:00 in Shanghai (02:00 UTC): the dashboard shows 10:16."""
    issue()
    clock.shift(dt.timedelta(minutes=16))
    services.queue_refresh(branch=branch)
    client.force_login(lobby_manager)
    page = client.get(reverse("queue-dashboard")).content.decode()
    assert "<time>10:16</time>" in page


def test_a_refresh_stores_and_pushes_what_it_computed_in_batches(
        issue, open_counter, branch, teller, monkeypatch, django_capture_on_commit_callbacks):
    from queueing import payloads
    from queueing.models import Ticket
    from queueing.services import refresh
    from queueing.state import branch_snapshot

    tickets = [issue() for _ in range(5)]
    services.queue_refresh(branch=branch)
    services.ticket_call_next(actor=teller, counter=open_counter)  # everyone else moves up
    snapshot = branch_snapshot(branch)
    estimates = snapshot.estimates()
    places = refresh.stable_positions(snapshot.waiting, estimates)
    monkeypatch.setattr(refresh, "_STORE_ROWS", 2)  # several statements, as with 200+ waiting
    sent = []
    monkeypatch.setattr("core.live.send_now", lambda group, event, payload: sent.append((group, payload)))
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_refresh(branch=branch)
    stored = {t.pk: (t.estimated_wait_seconds, t.position, t.position_reason)
              for t in Ticket.objects.filter(pk__in=[t.pk for t in tickets[1:]])}
    assert stored == {pk: (round(estimates[pk] * 60), *places[pk]) for pk in stored}
    pages = {group: payload for group, payload in sent if group.startswith("ticket.")}
    assert len(pages) == 4  # each ticket that moved, with the timeline its page shows
    for ticket in Ticket.objects.filter(pk__in=stored):
        assert pages[f"ticket.{ticket.public_token}"] == payloads.ticket_page(ticket)
