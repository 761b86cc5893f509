"""The offline kiosk ticket over the API: number blocks never collide with each other or with
online tickets, an offline ticket syncs exactly once, bad input is refused in the one shape."""

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection

from compliance.models import AuditEvent
from continuity.models import OfflineNumberBlock
from continuity.offline import number_block_reserve
from queueing.models import Ticket, TicketStatus
from queueing.services import IssueRequest, ticket_issue
from tests.factories import make_device, make_service_type
from tests.kiosk.conftest import device_client


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


@pytest.fixture
def deposit(db):
    return make_service_type("DEPOSIT", name_zh_hans="存款", name_en="Deposit", target_minutes=5)


@pytest.fixture
def kiosks(branch):
    return [make_device(branch, "kiosk") for _ in range(2)]


def reserve(client, queue="A", size=20):
    response = post(client, "/api/continuity/kiosk/number-blocks/", {"queue": queue, "size": size})
    assert response.status_code == 201, response.content
    return response.json()


def offline_ticket(block, sequence, issued_at, service="DEPOSIT", key=None):
    return {"key": str(key or uuid.uuid4()), "block": block["id"], "sequence": sequence,
            "service_type": service, "issued_at": issued_at.isoformat()}


def test_the_plan_tells_the_kiosk_which_queue_each_walk_in_service_goes_to(kiosks, deposit):
    plan = device_client(kiosks[0][1]).get("/api/continuity/kiosk/offline-plan/").json()
    assert plan["services"] == [{"code": "DEPOSIT", "name": "存款", "queue": "A"}]
    assert plan["queues"] == ["A"]


def test_two_kiosks_and_online_issuing_never_share_a_number(branch, kiosks, deposit, clock):
    first, second = (device_client(token) for _, token in kiosks)
    online_before = ticket_issue(issue=IssueRequest(branch=branch, service_type=deposit, source="kiosk"))
    block_one = reserve(first)
    block_two = reserve(second, size=5)
    online_after = ticket_issue(issue=IssueRequest(branch=branch, service_type=deposit, source="kiosk"))

    assert (block_one["first"], block_one["last"]) == (2, 21)
    assert (block_two["first"], block_two["last"]) == (22, 26)
    assert [online_before.number, online_after.number] == ["A001", "A027"]
    audited = AuditEvent.objects.filter(action="continuity.number_block_reserved")
    assert audited.count() == 2 and audited.first().device_id == kiosks[0][0].pk


@pytest.mark.django_db(transaction=True)
def test_blocks_reserved_in_parallel_with_online_tickets_never_overlap(
        require_service, branch, kiosks, deposit, clock):
    require_service("postgres")
    start, errors = threading.Barrier(4), []

    def kiosk(device):
        try:
            start.wait()
            for _ in range(5):
                number_block_reserve(device=device, prefix="A", size=10)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    def online():
        try:
            start.wait()
            for _ in range(20):
                ticket_issue(issue=IssueRequest(branch=branch, service_type=deposit, source="kiosk"))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=kiosk, args=(device,)) for device, _ in kiosks]
    threads += [threading.Thread(target=online) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    taken = [n for block in OfflineNumberBlock.objects.all() for n in range(block.first, block.last + 1)]
    taken += list(Ticket.objects.values_list("sequence", flat=True))
    assert sorted(taken) == list(range(1, 2 * 5 * 10 + 2 * 20 + 1))


def test_an_offline_ticket_replayed_twice_becomes_one_waiting_ticket(branch, kiosks, deposit, clock):
    client = device_client(kiosks[0][1])
    block = reserve(client)
    clock.shift(minutes=10)
    issued_offline = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=4)
    payload = offline_ticket(block, block["first"], issued_offline)

    first = post(client, "/api/continuity/kiosk/offline-tickets/", payload)
    replay = post(client, "/api/continuity/kiosk/offline-tickets/", payload)

    assert first.status_code == 201 and replay.status_code == 200
    assert first.json() == replay.json()
    ticket = Ticket.objects.get()
    assert (ticket.number, ticket.status, ticket.offline.key) == ("A001", TicketStatus.WAITING,
                                                                   uuid.UUID(payload["key"]))
    assert ticket.issued_at == ticket.queued_at == issued_offline
    issued = AuditEvent.objects.get(action="ticket.issued")
    assert issued.after["offline"] is True
    assert dt.datetime.fromisoformat(issued.after["issued_offline_at"]) == issued_offline


def test_offline_tickets_join_the_queue_in_issue_time_order(branch, kiosks, deposit, clock):
    client = device_client(kiosks[0][1])
    block = reserve(client)
    clock.shift(minutes=10)
    online = ticket_issue(issue=IssueRequest(branch=branch, service_type=deposit, source="kiosk"))
    earlier = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    post(client, "/api/continuity/kiosk/offline-tickets/", offline_ticket(block, 1, earlier))
    waiting = Ticket.objects.of_day(branch, online.business_date).waiting().order_by("queued_at")
    assert [t.number for t in waiting] == ["A001", online.number]


def test_the_same_number_under_another_key_is_a_conflict(kiosks, deposit, clock):
    client = device_client(kiosks[0][1])
    block = reserve(client)
    now = dt.datetime.now(dt.UTC)
    post(client, "/api/continuity/kiosk/offline-tickets/", offline_ticket(block, 1, now))
    again = post(client, "/api/continuity/kiosk/offline-tickets/", offline_ticket(block, 1, now))
    assert again.status_code == 409
    assert again.json()["code"] == "number_synced"
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"sequence": 99}, "sequence"),
    ({"service_type": "NOPE"}, "service_type"),
    ({"issued_at": "2020-01-01T00:00:00+00:00"}, "issued_at"),
    ({"key": "not-a-uuid"}, "key"),
])
def test_a_bad_offline_ticket_is_refused_and_changes_nothing(kiosks, deposit, clock, change, field):
    client = device_client(kiosks[0][1])
    block = reserve(client)
    response = post(client, "/api/continuity/kiosk/offline-tickets/",
                    {**offline_ticket(block, 1, dt.datetime.now(dt.UTC)), **change})
    assert response.status_code == 400
    assert set(response.json()) == {"code", "detail", "errors"}
    assert field in response.json()["errors"]
    assert Ticket.objects.count() == 0


def test_another_kiosks_block_is_not_this_kiosks(kiosks, deposit, clock):
    block = reserve(device_client(kiosks[0][1]))
    response = post(device_client(kiosks[1][1]), "/api/continuity/kiosk/offline-tickets/",
                    offline_ticket(block, 1, dt.datetime.now(dt.UTC)))
    assert response.status_code == 400 and "block" in response.json()["errors"]


@pytest.mark.parametrize("data", [{"queue": "Z"}, {"queue": "A", "size": 0}, {"queue": "A", "size": 500}])
def test_a_bad_reservation_is_refused(kiosks, deposit, clock, data):
    response = post(device_client(kiosks[0][1]), "/api/continuity/kiosk/number-blocks/", data)
    assert response.status_code == 400
    assert set(response.json()) == {"code", "detail", "errors"}
    assert OfflineNumberBlock.objects.count() == 0


def test_staff_cannot_reserve_numbers(client, deposit, lobby_manager):
    client.force_login(lobby_manager)  # a person's session is no kiosk's credential
    response = post(client, "/api/continuity/kiosk/number-blocks/", {"queue": "A"})
    assert response.status_code == 401
    assert OfflineNumberBlock.objects.count() == 0


def test_the_ledger_page_reports_reserved_numbers_never_issued_as_gaps(
        client, branch, kiosks, deposit, lobby_manager, clock):
    kiosk = device_client(kiosks[0][1])
    block = reserve(kiosk, size=6)
    for sequence in (1, 2, 5):
        post(kiosk, "/api/continuity/kiosk/offline-tickets/", offline_ticket(block, sequence, clock.now()))
    client.force_login(lobby_manager)

    today = client.get("/continuity/ledger/").content.decode()
    clock.shift(days=1)
    client.force_login(lobby_manager)  # a new working day, a new sign-in
    next_day = client.get("/continuity/ledger/").content.decode()

    assert "A003–A004, A006" in today and "仍由自助机保留" in today
    assert "A003–A004, A006" in next_day and "仍由自助机保留" not in next_day
