"""Paper slips of a full outage, re-entered by a teller and approved by a second person
(compliance's maker-checker); offline ledger entries not reconciled within 24 hours escalate
from the lobby manager to the branch manager and head office, once per level."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client

from compliance.models import AuditEvent, ChangeKind, ChangeRequest, ChangeStatus
from continuity.ledger_review import ledger_overdue_watch
from continuity.models import LedgerEntry, LedgerStatus
from counter.models import RecordStatus
from queueing.alerts import recent_alerts
from tests.factories import make_counter, make_service_type

PAPER = "/continuity/ledger/paper/"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def counter(branch):
    deposit = make_service_type("DEPOSIT", name_zh_hans="存款", name_en="Deposit", target_minutes=5)
    return make_counter(branch, "01", services=[deposit])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def slip(counter, teller, served: dt.datetime, **fields):
    local = served.astimezone(counter.branch.tz)
    data = {"counter": counter.pk, "teller": teller.pk, "service_type": "DEPOSIT", "outcome": "done",
            "served_at": local.strftime("%Y-%m-%dT%H:%M"),
            "recorded_at": (local + dt.timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M")}
    data.update(fields)
    return data


def test_a_paper_slip_waits_for_a_second_person_and_its_maker_cannot_approve_it(
        teller, branch_admin, counter, clock):
    served = clock.now() - dt.timedelta(hours=3)
    maker = signed_in(teller)
    reply = maker.post(PAPER, slip(counter, teller, served, amount="1500"))
    assert reply.status_code == 302, reply.content.decode()[-2000:]
    entry = LedgerEntry.objects.get()
    assert (entry.status, entry.source, entry.served_at) == (LedgerStatus.AWAITING_APPROVAL, "paper", served)
    change = ChangeRequest.objects.get(pk=entry.change_request_id)
    assert (change.kind, change.maker) == (ChangeKind.LEDGER_REENTRY, teller)

    maker.post(f"/continuity/ledger/paper/{entry.pk}/approve/")
    entry.refresh_from_db()
    assert entry.status == LedgerStatus.AWAITING_APPROVAL

    signed_in(branch_admin).post(f"/continuity/ledger/paper/{entry.pk}/approve/")
    entry.refresh_from_db()
    change.refresh_from_db()
    assert (change.status, change.checker) == (ChangeStatus.APPROVED, branch_admin)
    assert entry.status == LedgerStatus.RECONCILED
    assert entry.service_record.status == RecordStatus.FINISHED
    assert entry.service_record.finished_at == served
    paper = AuditEvent.objects.get(action="continuity.ledger_entry.paper")
    assert dt.datetime.fromisoformat(paper.after["served_offline_at"]) == served


def test_a_slip_written_after_it_was_served_is_refused_with_its_field(teller, counter, clock):
    served = clock.now() - dt.timedelta(hours=1)
    data = slip(counter, teller, served)
    data["recorded_at"] = (served - dt.timedelta(hours=1)).astimezone(counter.branch.tz).strftime(
        "%Y-%m-%dT%H:%M")

    reply = signed_in(teller).post(PAPER, data)

    assert reply.status_code == 400
    assert "登记时间不能早于办理时间" in reply.content.decode()
    assert not LedgerEntry.objects.exists() and not ChangeRequest.objects.exists()


def test_a_slip_rejected_on_the_approvals_page_is_rejected_in_the_ledger(
        teller, branch_admin, counter, clock):
    signed_in(teller).post(PAPER, slip(counter, teller, clock.now() - dt.timedelta(hours=1)))
    entry = LedgerEntry.objects.get()
    from compliance.makerchecker import change_request_reject

    change_request_reject(checker=branch_admin, request_id=entry.change_request_id, reason="凭条不清")
    ledger_overdue_watch()

    entry.refresh_from_db()
    assert (entry.status, entry.decision_reason, entry.decided_by) == (
        LedgerStatus.REJECTED, "凭条不清", branch_admin)


def test_an_entry_left_unreconciled_escalates_after_24_hours_then_to_head_office(
        teller, lobby_manager, counter, clock):
    served = clock.now() - dt.timedelta(minutes=10)
    signed_in(teller).post(PAPER, slip(counter, teller, served))
    entry = LedgerEntry.objects.get()

    assert ledger_overdue_watch() == 0
    clock.move_to(served + dt.timedelta(hours=24, minutes=1))
    assert ledger_overdue_watch() == 1
    assert ledger_overdue_watch() == 0  # once per level
    entry.refresh_from_db()
    assert entry.escalation_level == 1
    assert recent_alerts(counter.branch)[0]["kind"] == "offline_ledger_overdue"
    assert recent_alerts(counter.branch)[0]["level"] == "warning"
    page = signed_in(lobby_manager).get(f"/queue/dashboard/?branch={counter.branch.code}").content.decode()
    assert "1 条超过 24 小时未核对" in page

    clock.shift(hours=4)
    assert ledger_overdue_watch() == 1
    entry.refresh_from_db()
    assert entry.escalation_level == 2
    assert recent_alerts(counter.branch)[0]["level"] == "critical"
    assert AuditEvent.objects.filter(action="continuity.ledger_entry.escalate").count() == 2


def test_a_reconciled_entry_never_escalates(teller, counter, clock):
    client = signed_in(teller)
    client.post("/api/v1/continuity/ledger-entries/", {
        "key": "6b0d4c1e-8f7a-4a53-9c55-3f1e2d0a9b11", "counter": counter.pk, "service_type": "DEPOSIT",
        "outcome": "done", "served_at": clock.now().isoformat(), "recorded_at": clock.now().isoformat()},
        content_type="application/json")
    clock.shift(days=3)

    assert ledger_overdue_watch() == 0
    assert LedgerEntry.objects.get().status == LedgerStatus.RECONCILED
