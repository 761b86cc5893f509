"""The teller console's offline ledger over the API: an entry syncs exactly once into a service
record the insights count, with its offline times in the audit trail; conflicts wait for the lobby
manager, who accepts or rejects them with a reason."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.test import Client

from compliance.models import AuditEvent
from continuity.models import LedgerEntry, LedgerStatus
from counter.models import RecordStatus, ServiceRecord
from insights.performance import figures
from queueing import services as queueing
from queueing.models import Ticket, TicketStatus
from tests.factories import make_counter, make_customer, make_service_type

SYNC = "/api/v1/continuity/ledger-entries/"


@pytest.fixture
def deposit(db):
    return make_service_type("DEPOSIT", name_zh_hans="存款", name_en="Deposit", target_minutes=5)


@pytest.fixture
def counter(branch, deposit):
    return make_counter(branch, "01", services=[deposit])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def entry(counter, served_at, **fields):
    data = {"key": str(uuid.uuid4()), "counter": counter.pk, "service_type": "DEPOSIT", "outcome": "done",
            "served_at": served_at.isoformat(),
            "recorded_at": (served_at + dt.timedelta(minutes=1)).isoformat()}
    data.update(fields)
    return data


def sync(client, data):
    return client.post(SYNC, data, content_type="application/json")


def test_an_entry_without_a_ticket_becomes_one_finished_visit_and_service_record_once(
        teller, counter, clock):
    served = clock.now() - dt.timedelta(minutes=40)
    client = signed_in(teller)
    data = entry(counter, served, amount="2000.00", note="现金存款")

    first, replay = sync(client, data), sync(client, data)

    assert (first.status_code, replay.status_code) == (201, 200), first.content
    assert first.json()["status"] == replay.json()["status"] == "reconciled"
    ledger = LedgerEntry.objects.get()
    record = ServiceRecord.objects.get()
    assert ledger.service_record == record and record.teller == teller
    assert (record.status, record.outcome, record.finished_at) == (RecordStatus.FINISHED, "done", served)
    ticket = Ticket.objects.get()
    assert (ticket.status, ticket.finished_at, ticket.served_by) == (TicketStatus.DONE, served, teller)
    assert first.json()["ticket"] == ticket.number
    day = clock.today()
    assert figures(branch=counter.branch, tellers=[teller], start=day, end=day)[0].served == 1
    synced = AuditEvent.objects.get(action="continuity.ledger_entry.synced")
    assert synced.after["served_offline_at"] == "2026-12-07T09:20:00+08:00"  # the branch's clock time
    assert dt.datetime.fromisoformat(synced.after["recorded_offline_at"]) == served + dt.timedelta(minutes=1)
    assert AuditEvent.objects.filter(action="continuity.ledger_entry.reconciled").count() == 1


def test_the_ticket_being_served_when_the_server_went_away_is_finished_at_the_offline_time(
        branch, teller, counter, deposit, clock):
    customer = make_customer(branch=branch)
    queueing.counter_open(actor=teller, counter=counter)
    queueing.ticket_issue(issue=queueing.IssueRequest(
        branch=branch, service_type=deposit, source="kiosk", customer=customer))
    ticket = queueing.ticket_call_next(actor=teller, counter=counter)
    served = clock.shift(minutes=6)
    clock.shift(minutes=30)

    reply = sync(signed_in(teller), entry(counter, served, ticket_number=ticket.number.lower()))

    assert reply.json()["status"] == "reconciled", reply.content
    ticket.refresh_from_db()
    assert (ticket.status, ticket.finished_at) == (TicketStatus.DONE, served)
    assert ServiceRecord.objects.get().customer == customer


def test_an_entry_for_a_ticket_cancelled_meanwhile_waits_for_the_lobby_manager(
        branch, teller, lobby_manager, counter, deposit, clock):
    ticket = queueing.ticket_issue(issue=queueing.IssueRequest(
        branch=branch, service_type=deposit, source="kiosk"))
    queueing.ticket_cancel(ticket=ticket)

    reply = sync(signed_in(teller), entry(counter, clock.now(), ticket_number=ticket.number))

    assert reply.json()["status"] == "conflict"
    assert reply.json()["conflicts"] == ["ticket_closed"]
    assert not ServiceRecord.objects.exists()
    page = signed_in(lobby_manager).get("/continuity/ledger/")
    assert "该排队号期间已被办结、取消或关闭" in page.content.decode()


def test_the_lobby_manager_accepts_a_conflict_with_a_reason_and_it_becomes_a_service_record(
        teller, lobby_manager, counter, clock):
    sync(signed_in(teller), entry(counter, clock.now(), amount="80000.00"))
    ledger = LedgerEntry.objects.get()
    assert (ledger.status, ledger.conflicts) == (LedgerStatus.CONFLICT, ["amount_over_limit"])
    manager = signed_in(lobby_manager)

    without_reason = manager.post(f"/continuity/ledger/{ledger.pk}/accept/", {"reason": " "})
    ledger.refresh_from_db()
    assert ledger.status == LedgerStatus.CONFLICT and not ServiceRecord.objects.exists()
    assert without_reason.status_code == 302

    manager.post(f"/continuity/ledger/{ledger.pk}/accept/", {"reason": "已核对凭证"})

    ledger.refresh_from_db()
    assert (ledger.status, ledger.decided_by, ledger.decision_reason) == (
        LedgerStatus.RECONCILED, lobby_manager, "已核对凭证")
    assert ledger.service_record.status == RecordStatus.FINISHED
    accepted = AuditEvent.objects.get(action="continuity.ledger_entry.accept")
    assert accepted.after["reason"] == "已核对凭证" and accepted.after["amount"] == "80000.00"


def test_the_lobby_manager_rejects_a_duplicate_and_nothing_is_counted(teller, lobby_manager, counter, clock):
    sync(signed_in(teller), entry(counter, clock.now(), amount="60000"))
    ledger = LedgerEntry.objects.get()

    signed_in(lobby_manager).post(f"/continuity/ledger/{ledger.pk}/reject/", {"reason": "重复登记"})

    ledger.refresh_from_db()
    assert (ledger.status, ledger.decision_reason) == (LedgerStatus.REJECTED, "重复登记")
    assert not ServiceRecord.objects.exists() and not Ticket.objects.exists()


def test_a_teller_cannot_decide_a_conflict(teller, counter, clock):
    sync(signed_in(teller), entry(counter, clock.now(), amount="60000"))
    ledger = LedgerEntry.objects.get()

    reply = signed_in(teller).post(f"/continuity/ledger/{ledger.pk}/accept/", {"reason": "自己批"})

    assert reply.status_code == 403
    ledger.refresh_from_db()
    assert ledger.status == LedgerStatus.CONFLICT


def test_a_customer_who_does_not_match_the_ticket_is_a_conflict(branch, teller, counter, deposit, clock):
    holder, other = make_customer(branch=branch), make_customer(branch=branch, name="李四")
    ticket = queueing.ticket_issue(issue=queueing.IssueRequest(
        branch=branch, service_type=deposit, source="kiosk", customer=holder))

    reply = sync(signed_in(teller), entry(counter, clock.now(), ticket_number=ticket.number,
                                          customer_id_number=other.id_number))

    assert reply.json()["conflicts"] == ["customer_mismatch"]


def test_bad_input_is_refused_with_field_messages_and_changes_nothing(teller, counter, clock):
    reply = sync(signed_in(teller), entry(counter, clock.now() + dt.timedelta(hours=2), outcome="not_done",
                                          service_type="NOPE"))

    assert reply.status_code == 400
    assert set(reply.json()["errors"]) == {"service_type", "outcome_reason", "served_at"}
    assert not LedgerEntry.objects.exists()


def test_another_tellers_key_is_refused(teller, counter, branch, clock):
    from branches.roles import Role
    from tests.factories import make_staff

    data = entry(counter, clock.now())
    sync(signed_in(teller), data)
    other = make_staff(Role.TELLER, branch)

    assert sync(signed_in(other), data).status_code == 409


def test_the_plan_lists_the_services_and_the_limit(teller, counter):
    plan = signed_in(teller).get(f"/api/v1/continuity/counters/{counter.pk}/ledger-plan/").json()

    assert plan["services"] == [{"code": "DEPOSIT", "name": "存款"}]
    assert plan["limit"] == str(Decimal("50000.00"))
    assert [o["value"] for o in plan["outcomes"]] == ["done", "not_done", "referred"]
