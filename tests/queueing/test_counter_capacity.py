"""Counters serve queues by their work profile, count as capacity only with a teller signed in,
and a ticket nobody staffed will call shows up as stranded with a one-click fix."""

import datetime as dt

import pytest
from django.urls import reverse

from branches.models import ServicePoint
from branches.roles import Role
from compliance.models import AuditEvent
from queueing import services
from tests.factories import make_counter, make_service_type, make_staff


@pytest.fixture
def transfer(db):
    return make_service_type("TRANSFER", name_zh_hans="转账", name_en="Transfer", zone_kind="non_cash",
                             target_minutes=5)


@pytest.fixture
def wealth(db):
    return make_service_type("WEALTH", name_zh_hans="理财", name_en="Wealth", zone_kind="wealth",
                             complexity="special", target_minutes=30,
                             category="wealth")


def test_call_next_follows_the_counters_work_profile(client, lobby_manager, teller, branch, deposit,
                                                      transfer, clock):
    counter = make_counter(branch, "01", services=[deposit, transfer])
    services.counter_open(actor=teller, counter=counter)
    older = services.ticket_issue(issue=services.IssueRequest(
        branch=branch, service_type=deposit, source="kiosk"))
    clock.shift(dt.timedelta(minutes=3))
    own = services.ticket_issue(issue=services.IssueRequest(
        branch=branch, service_type=transfer, source="kiosk"))
    client.force_login(lobby_manager)
    response = client.post(reverse("queue-dashboard-counter", args=[branch.code, counter.pk, "profile"]),
                           {"queues": "B A", "mode": "order"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="counter.work_profile")
    assert event.after["queues"] == ["B", "A"] and event.before["queues"] == []
    assert 'value="B A"' in response.content.decode()
    client.force_login(teller)
    called = client.post(reverse("api-queue-call-next", args=[counter.pk])).json()
    assert called["number"] == own.number  # its own queue B first, though A waited longer
    assert older.number.startswith("A")


def test_without_a_profile_call_next_takes_the_best_score(teller, branch, deposit, transfer, clock):
    counter = make_counter(branch, "01", services=[deposit, transfer])
    services.counter_open(actor=teller, counter=counter)
    older = services.ticket_issue(issue=services.IssueRequest(
        branch=branch, service_type=deposit, source="kiosk"))
    clock.shift(dt.timedelta(minutes=3))
    services.ticket_issue(issue=services.IssueRequest(branch=branch, service_type=transfer, source="kiosk"))
    assert services.ticket_call_next(actor=teller, counter=counter) == older


def test_a_ratio_profile_is_set_through_the_api(client, branch_admin, counter):
    client.force_login(branch_admin)
    url = reverse("api-queue-work-profile", args=[counter.pk])
    response = client.put(url, {"queues": ["A", "B"], "mode": "ratio", "ratios": [2, 1]},
                          content_type="application/json")
    assert response.status_code == 200, response.content
    assert client.get(url).json() == {"queues": ["A", "B"], "mode": "ratio", "ratios": [2.0, 1.0]}


def test_a_bad_work_profile_is_a_field_error_and_changes_nothing(client, lobby_manager, counter):
    client.force_login(lobby_manager)
    url = reverse("api-queue-work-profile", args=[counter.pk])
    response = client.put(url, {"queues": ["A", "Q"]}, content_type="application/json")
    assert response.status_code == 400 and "queues" in response.json()["errors"]
    response = client.put(url, {"queues": ["A", "B"], "mode": "ratio", "ratios": [1]},
                          content_type="application/json")
    assert response.status_code == 400 and "ratios" in response.json()["errors"]
    counter.refresh_from_db()
    assert counter.work_queues == []


def test_a_teller_cannot_change_a_work_profile(client, teller, counter):
    client.force_login(teller)
    response = client.put(reverse("api-queue-work-profile", args=[counter.pk]), {"queues": ["A"]},
                          content_type="application/json")
    assert response.status_code == 403


def test_an_open_counter_without_a_teller_is_not_capacity(client, lobby_manager, branch, deposit, issue):
    counter = make_counter(branch, "02", services=[deposit])
    ServicePoint.objects.filter(pk=counter.pk).update(status=ServicePoint.Status.OPEN)
    ticket = issue()
    assert ticket.quoted_wait_seconds is None  # nobody can serve it: no "about 0 minutes"
    client.force_login(lobby_manager)
    state = client.get(reverse("api-queue-state", args=[branch.code])).json()
    queue_a = next(q for q in state["queues"] if q["queue"] == "A")
    assert queue_a["estimated_minutes"] is None and queue_a["stranded"] == 1
    assert state["stranded"][0]["number"] == ticket.number
    assert state["stranded"][0]["fixes"] == [{"action": "open", "counter": "02",
                                             "counter_id": counter.pk}]
    page = client.get(reverse("queue-dashboard")).content.decode()
    assert 'data-testid="unstaffed"' in page and f'data-stranded="{ticket.number}"' in page
    lobby = client.get(reverse("api-queue-lobby-state", args=[branch.code])).json()
    assert next(q for q in lobby["queues"] if q["queue"] == "A")["estimated_minutes"] is None


def test_an_unstaffed_counter_raises_no_idle_alert(branch, deposit, issue, clock):
    from queueing.alerts import recent_alerts

    counter = make_counter(branch, "02", services=[deposit])
    ServicePoint.objects.filter(pk=counter.pk).update(status=ServicePoint.Status.OPEN)
    issue()
    clock.shift(dt.timedelta(minutes=10))
    services.queue_refresh(branch=branch)
    assert not [a for a in recent_alerts(branch) if a["kind"] == "idle_counter"]


def test_a_ticket_outside_every_profile_is_stranded_and_fixed_in_one_click(
        client, lobby_manager, teller, branch, deposit, wealth, clock):
    counter = make_counter(branch, "04", zone_kind="wealth", services=[deposit, wealth])
    services.counter_open(actor=teller, counter=counter)
    services.counter_set_work_profile(actor=lobby_manager, counter=counter, queues=["A"])
    ticket = services.ticket_issue(issue=services.IssueRequest(
        branch=branch, service_type=wealth, source="kiosk"))
    assert services.ticket_call_next(actor=teller, counter=counter) is None
    client.force_login(lobby_manager)
    page = client.get(reverse("queue-dashboard")).content.decode()
    assert f'data-stranded="{ticket.number}"' in page
    client.post(reverse("queue-dashboard-counter", args=[branch.code, counter.pk, "add_queue"]),
                {"queue": "W"}, HTTP_HX_REQUEST="true")
    counter.refresh_from_db()
    assert counter.work_queues == ["A", "W"]
    assert services.ticket_call_next(actor=teller, counter=counter) == ticket


def test_the_demo_counters_use_todays_calls_for_ratio_profiles(lobby_manager, teller, branch,
                                                                deposit, transfer, clock):
    counter = make_counter(branch, "01", services=[deposit, transfer])
    services.counter_open(actor=teller, counter=counter)
    services.counter_set_work_profile(actor=lobby_manager, counter=counter, queues=["A", "B"],
                                      mode="ratio", ratios=[1, 1])
    for service in (deposit, transfer, deposit, transfer):
        services.ticket_issue(issue=services.IssueRequest(
            branch=branch, service_type=service, source="kiosk"))
    queues = []
    for _ in range(4):
        ticket = services.ticket_call_next(actor=teller, counter=counter)
        queues.append(ticket.queue)
        services.ticket_start_serving(actor=teller, ticket=ticket)
        services.ticket_finish(actor=teller, ticket=ticket)
    assert queues == ["A", "B", "A", "B"]


def test_another_branchs_lobby_manager_cannot_set_a_profile(client, counter, other_branch):
    stranger = make_staff(Role.LOBBY_MANAGER, other_branch)
    client.force_login(stranger)
    response = client.put(reverse("api-queue-work-profile", args=[counter.pk]), {"queues": ["A"]},
                          content_type="application/json")
    assert response.status_code == 404


def test_the_console_says_why_call_next_finds_nobody(client, teller, branch, deposit, transfer,
                                                    clock):
    counter = make_counter(branch, "01", services=[deposit])
    services.counter_open(actor=teller, counter=counter)
    services.ticket_issue(issue=services.IssueRequest(branch=branch, service_type=transfer, source="kiosk"))
    assert services.ticket_call_next(actor=teller, counter=counter) is None
    client.force_login(teller)
    panel = client.get(reverse("queue-console-panel", args=[counter.pk])).content.decode()
    assert 'data-testid="none-for-me"' in panel and "其他窗口" in panel
