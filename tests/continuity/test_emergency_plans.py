"""Emergency plans: the lobby manager activates one, ticketing pauses or limits, the checklist
records who did what, closing writes the incident report."""

import pytest

from branches.roles import Role
from compliance.models import AuditEvent
from continuity.models import Incident, IncidentStatus, Playbook
from queueing import services as queueing
from tests.factories import make_service_type, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def deposit(db):
    return make_service_type("DEPOSIT")


def activate(client, user, kind, capture):
    client.force_login(user)
    with capture(execute=True):
        return client.post(f"/continuity/incidents/activate/{kind}/")


def issue(branch, service_type, source="kiosk"):
    return queueing.ticket_issue(issue=queueing.IssueRequest(
        branch=branch, service_type=service_type, source=source, enforce_hours=False))


def test_the_six_plans_are_seeded_with_levels_and_checklists(db):
    plans = {plan.kind: plan for plan in Playbook.objects.all()}
    assert set(plans) == {"system_failure", "fire", "robbery", "crowding", "health", "fraud"}
    assert plans["fire"].level == 1 and plans["fire"].ticketing == "paused"
    assert all(plan.steps and plan.lobby_message_zh and plan.lobby_message_en for plan in plans.values())


def test_one_action_switches_the_lobby_pauses_tickets_and_tells_head_office(
    client,
    branch,
    lobby_manager,
    head_office_admin,
    deposit,
    clock,
    live_events,
    django_capture_on_commit_callbacks,
):
    response = activate(client, lobby_manager, "fire", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.status == IncidentStatus.ACTIVE and incident.level == 1
    lobby = [
        payload
        for group, event, payload in live_events
        if group == f"lobby.{branch.code}" and event == "continuity.emergency"
    ]
    assert lobby and lobby[0]["active"] and "火警" in lobby[0]["message"]["zh-hans"]
    assert (
        client.get(f"/continuity/lobby/{branch.code}/emergency/").json()["message"]["en"].startswith("Fire")
    )
    assert any(
        group == f"user.{head_office_admin.pk}" and event == "toast" for group, event, _ in live_events
    )

    with pytest.raises(Exception, match="暂停取号|Ticketing is paused"):
        issue(branch, deposit)
    page = client.get("/continuity/incidents/").content.decode()
    assert "拨打119并启动消防报警" in page and 'data-testid="incident-checklist"' in page


def test_the_kiosk_is_told_why_it_cannot_issue_a_ticket(
    client, branch, lobby_manager, deposit, clock, django_capture_on_commit_callbacks
):
    from tests.factories import make_device

    activate(client, lobby_manager, "robbery", django_capture_on_commit_callbacks)
    _, token = make_device(branch)
    reply = client.post(
        f"/api/queue/branches/{branch.code}/tickets/",
        {"service": deposit.code},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Device {token}",
    )
    assert reply.status_code == 400 and "网点暂停营业" in str(reply.json())


def test_a_plan_acts_on_the_very_next_ticket_after_the_branch_state_was_remembered(
    client, branch, lobby_manager, deposit, clock, django_capture_on_commit_callbacks
):
    from tests.factories import make_device

    _, token = make_device(branch)

    def kiosk_issues():
        return client.post(f"/api/queue/branches/{branch.code}/tickets/", {"service": deposit.code},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Device {token}")

    assert [kiosk_issues().status_code for _ in range(2)] == [201, 201]  # no plan: remembered
    activate(client, lobby_manager, "fire", django_capture_on_commit_callbacks)
    client.logout()
    refused = kiosk_issues()
    assert refused.status_code == 400 and "暂停取号" in str(refused.json())
    client.force_login(lobby_manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/continuity/incidents/{Incident.objects.get().pk}/close/", {"summary": "演练结束"})
    client.logout()
    assert kiosk_issues().status_code == 201  # and ticketing is back at once


def test_crowding_limits_walk_in_tickets_but_honours_appointments(
    client, branch, lobby_manager, deposit, clock, django_capture_on_commit_callbacks
):
    Playbook.objects.filter(kind="crowding").update(ticket_limit=2)
    activate(client, lobby_manager, "crowding", django_capture_on_commit_callbacks)
    issue(branch, deposit)
    issue(branch, deposit)
    with pytest.raises(Exception, match="限量|limited"):
        issue(branch, deposit)
    assert issue(branch, deposit, source="appointment").number


def test_a_second_plan_cannot_start_while_one_is_active(
    client, branch, lobby_manager, clock, django_capture_on_commit_callbacks
):
    activate(client, lobby_manager, "health", django_capture_on_commit_callbacks)
    activate(client, lobby_manager, "fire", django_capture_on_commit_callbacks)
    assert Incident.objects.count() == 1 and Incident.objects.get().kind == "health"


def test_the_checklist_records_who_did_what_and_when_and_late_steps_show(
    client, branch, lobby_manager, teller, clock, django_capture_on_commit_callbacks
):
    activate(client, lobby_manager, "health", django_capture_on_commit_callbacks)
    incident = Incident.objects.get()
    first, second = incident.steps.order_by("position")[:2]
    client.force_login(teller)
    client.post(f"/continuity/incidents/{incident.pk}/steps/{first.pk}/done/", {"note": "120 已到"})
    clock.shift(minutes=3)
    client.post(f"/continuity/incidents/{incident.pk}/steps/{second.pk}/done/")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.done_by == teller and first.note == "120 已到" and second.done_at > second.due_at
    done = AuditEvent.objects.filter(action="continuity.incident.step_done").order_by("seq")
    assert [event.after["late"] for event in done] == [False, True]


def test_closing_writes_the_report_page_and_pdf_and_clears_the_lobby(
    client, branch, lobby_manager, deposit, clock, live_events, django_capture_on_commit_callbacks
):
    activate(client, lobby_manager, "system_failure", django_capture_on_commit_callbacks)
    incident = Incident.objects.get()
    clock.shift(minutes=42)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/continuity/incidents/{incident.pk}/close/", {"summary": "核心系统中断40分钟，手工登记12笔"}
        )
    assert response["Location"] == f"/continuity/incidents/{incident.pk}/"
    report = client.get(response["Location"]).content.decode()
    assert "核心系统中断40分钟" in report and "42" in report
    pdf = client.get(f"/continuity/incidents/{incident.pk}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(f"/continuity/lobby/{branch.code}/emergency/").json() == {"active": False}
    assert live_events[-1][2] == {"active": False} or {"active": False} in [e[2] for e in live_events]
    assert issue(branch, deposit).number  # ticketing is back


def test_closing_needs_a_summary(client, branch, lobby_manager, clock, django_capture_on_commit_callbacks):
    activate(client, lobby_manager, "health", django_capture_on_commit_callbacks)
    incident = Incident.objects.get()
    client.post(f"/continuity/incidents/{incident.pk}/close/", {"summary": "  "})
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.ACTIVE


def test_tellers_cannot_activate_and_other_branches_cannot_see(client, branch, teller, clock):
    client.force_login(teller)
    assert client.post("/continuity/incidents/activate/fire/").status_code == 403
    assert Incident.objects.count() == 0


def test_head_office_edits_a_plan_and_bad_lines_are_refused(client, head_office_admin, db):
    client.force_login(head_office_admin)
    form = {
        "level": 3,
        "lobby_message_zh": "系统维护",
        "lobby_message_en": "Maintenance",
        "ticketing": "limited",
        "ticket_limit": 10,
        "notify_head_office": "on",
        "steps": "5 | 通知科技部\n15 | 启用登记簿",
    }
    assert client.post("/continuity/plans/system_failure/", form).status_code == 302
    plan = Playbook.objects.get(kind="system_failure")
    assert plan.steps == [{"minutes": 5, "text": "通知科技部"}, {"minutes": 15, "text": "启用登记簿"}]
    assert AuditEvent.objects.filter(action="continuity.playbook.update").exists()
    bad = client.post("/continuity/plans/system_failure/", {**form, "steps": "soon: call IT"})
    assert bad.status_code == 400
    assert Playbook.objects.get(kind="system_failure").steps == plan.steps


def test_a_branch_admin_may_read_but_not_edit_the_plans(client, branch):
    client.force_login(make_staff(Role.BRANCH_ADMIN, branch, username="ba"))
    assert client.get("/continuity/plans/").status_code == 200
    assert client.get("/continuity/plans/fire/").status_code == 403


def test_the_incident_report_lists_the_fraud_cases_opened_during_the_incident(
    client, branch, lobby_manager, clock, django_capture_on_commit_callbacks
):
    from continuity.models import FraudChannel
    from continuity.services import fraud_case_open

    before = fraud_case_open(actor=None, branch=branch, channel=FraudChannel.KIOSK, description="之前的报案")
    clock.shift(minutes=5)
    activate(client, lobby_manager, "fraud", django_capture_on_commit_callbacks)
    incident = Incident.objects.get()
    clock.shift(minutes=3)
    during = fraud_case_open(actor=None, branch=branch, channel=FraudChannel.KIOSK, description="卡被盗刷")
    clock.shift(minutes=20)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/continuity/incidents/{incident.pk}/close/", {"summary": "已处置"})
    clock.shift(minutes=5)
    after = fraud_case_open(actor=None, branch=branch, channel=FraudChannel.KIOSK, description="之后的报案")

    report = client.get(f"/continuity/incidents/{incident.pk}/").content.decode()

    assert during.ref in report
    assert before.ref not in report and after.ref not in report


def test_head_office_is_told_in_english_with_the_english_branch_name(
    client, branch, lobby_manager, head_office_admin, clock, live_events, django_capture_on_commit_callbacks
):
    client.force_login(lobby_manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/continuity/incidents/activate/fire/", HTTP_ACCEPT_LANGUAGE="en")
    texts = [payload["text"] for group, event, payload in live_events
             if group == f"user.{head_office_admin.pk}" and event == "toast"]
    assert texts and branch.name_en in texts[0] and branch.name_zh_hans not in texts[0]
