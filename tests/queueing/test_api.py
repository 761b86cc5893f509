import pytest
from django.urls import reverse

from branches.roles import Role
from queueing import services
from queueing.models import Ticket, TicketStatus
from tests.factories import make_device, make_staff


@pytest.fixture
def kiosk_token(branch):
    return make_device(branch, "kiosk")[1]


def _denied(role) -> int:
    return 401 if role is None else 403


def _as(client, user):
    if user is not None:
        client.force_login(user)
    return client


def test_a_kiosk_issues_a_ticket_with_its_device_token(client, branch, deposit, kiosk_token,
                                                       open_counter):
    response = client.post(reverse("api-queue-issue", args=[branch.code]),
                           {"service": "DEPOSIT"}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Device {kiosk_token}")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == "A001"
    assert body["ticket_url"] == f"/queue/t/{body['public_token']}/"
    assert Ticket.objects.get().device.branch == branch


def test_a_kiosk_cannot_issue_for_another_branch(client, other_branch, deposit, kiosk_token, clock):
    response = client.post(reverse("api-queue-issue", args=[other_branch.code]),
                           {"service": "DEPOSIT"}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Device {kiosk_token}")
    assert response.status_code == 404
    assert not Ticket.objects.exists()


def test_an_unknown_service_is_a_field_error_and_issues_nothing(client, branch, kiosk_token, clock):
    response = client.post(reverse("api-queue-issue", args=[branch.code]),
                           {"service": "NOPE"}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Device {kiosk_token}")
    assert response.status_code == 400
    assert "service" in response.json()["errors"]
    assert not Ticket.objects.exists()


def test_issuing_while_the_branch_is_closed_is_a_clear_400(client, branch, deposit, kiosk_token):
    import datetime as dt

    import time_machine

    from tests.queueing.conftest import SHANGHAI

    with time_machine.travel(dt.datetime(2026, 11, 23, 7, 30, tzinfo=SHANGHAI), tick=False):
        response = client.post(reverse("api-queue-issue", args=[branch.code]),
                               {"service": "DEPOSIT"}, content_type="application/json",
                               HTTP_AUTHORIZATION=f"Device {kiosk_token}")
    assert response.status_code == 400
    assert "branch" in response.json()["errors"]
    assert not Ticket.objects.exists()


def test_the_kiosk_gets_a_recommendation_with_an_alternative(client, branch, kiosk_token, clock):
    from tests.factories import make_counter, make_service_type

    balance = make_service_type("BALANCE", allow_kiosk=True, target_minutes=3)
    make_counter(branch, "K1", kind="kiosk", zone_kind="self_service", services=[balance],
                 status="open")
    response = client.post(reverse("api-queue-recommend", args=[branch.code]),
                           {"service": "BALANCE"}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Device {kiosk_token}")
    assert response.status_code == 200
    assert response.json()["channel"] == "kiosk"
    assert response.json()["estimated_wait_minutes"] == 0


def test_a_teller_calls_next_and_finishes_through_the_api(client, issue, open_counter, teller):
    ticket = issue()
    client.force_login(teller)
    response = client.post(reverse("api-queue-call-next", args=[open_counter.pk]))
    assert response.status_code == 200 and response.json()["number"] == ticket.number
    for step in ("api-queue-start", "api-queue-finish"):
        assert client.post(reverse(step, args=[ticket.pk])).status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DONE


def test_call_next_with_nobody_waiting_is_204(client, open_counter, teller):
    client.force_login(teller)
    assert client.post(reverse("api-queue-call-next", args=[open_counter.pk])).status_code == 204


def test_calling_from_a_closed_counter_is_409_and_changes_nothing(client, issue, counter, teller):
    ticket = issue()
    client.force_login(teller)
    response = client.post(reverse("api-queue-call-next", args=[counter.pk]))
    assert response.status_code == 409
    assert response.json()["code"] == "conflict" and isinstance(response.json()["detail"], str)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING


def test_a_pause_without_reason_is_a_field_error(client, open_counter, teller):
    client.force_login(teller)
    response = client.post(reverse("api-queue-counter-pause", args=[open_counter.pk]), {},
                           content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()["errors"]


def test_a_transfer_through_the_api_keeps_the_number(client, issue, open_counter, teller):
    ticket = issue()
    client.force_login(teller)
    client.post(reverse("api-queue-call-next", args=[open_counter.pk]))
    response = client.post(reverse("api-queue-transfer", args=[ticket.pk]),
                           {"queue": "B", "note": "转贷款"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["number"] == "A001" and response.json()["queue"] == "B"


def test_the_customer_follows_and_cancels_their_ticket_without_signing_in(client, issue):
    ticket = issue()
    page = client.get(reverse("api-queue-public", args=[ticket.public_token])).json()
    assert page["number"] == "A001" and page["can_cancel"] is True
    assert page["status_label"] == {"zh-hans": "等候中", "en": "Waiting", "ja": "待機中", "ko": "대기 중"}
    assert "customer" not in page
    response = client.post(reverse("api-queue-public-cancel", args=[ticket.public_token]))
    assert response.json()["status"] == "cancelled"


def test_a_wrong_ticket_token_is_404(client, issue):
    issue()
    assert client.get(reverse("api-queue-public", args=["guess"])).status_code == 404


def test_a_customer_takes_a_remote_ticket_through_the_api(client, branch, deposit, customer_user,
                                                          clock):
    client.force_login(customer_user)
    response = client.post(reverse("api-queue-remote"),
                           {"branch": branch.code, "service": "DEPOSIT", "arrival_minutes": 15},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    assert Ticket.objects.get().customer == customer_user.customer


def test_figures_report_waits_and_the_estimate_error(client, issue, open_counter, teller,
                                                     lobby_manager, clock, branch):
    import datetime as dt

    ticket = issue()
    clock.shift(dt.timedelta(minutes=3))
    services.ticket_call_next(actor=teller, counter=open_counter)
    services.ticket_start_serving(actor=teller, ticket=ticket)
    clock.shift(dt.timedelta(minutes=4))
    services.ticket_finish(actor=teller, ticket=ticket)
    client.force_login(lobby_manager)
    figures = client.get(reverse("api-queue-figures", args=[branch.code])).json()
    assert figures["arrivals"] == 1 and figures["served"] == 1
    assert figures["mean_wait_minutes"] == 3.0
    assert figures["within_15_minutes_percent"] == 100
    assert figures["handling_minutes"][0]["mean_minutes"] == 4.0
    assert figures["estimate"]["tickets"] == 1


# --- access per role ----------------------------------------------------------------------

WORKERS = {Role.TELLER, Role.WEALTH_MANAGER, Role.LOBBY_MANAGER, Role.BRANCH_ADMIN,
           Role.HEAD_OFFICE_ADMIN}
MANAGERS = {Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN}


@pytest.mark.parametrize("role", [*Role, None])
def test_queue_state_is_for_branch_staff_only(client, users_by_role, branch, role, clock):
    response = _as(client, users_by_role[role]).get(reverse("api-queue-state", args=[branch.code]))
    assert response.status_code == (200 if role in WORKERS else _denied(role))


@pytest.mark.parametrize("role", [*Role, None])
def test_figures_are_for_lobby_managers_and_admins(client, users_by_role, branch, role, clock):
    response = _as(client, users_by_role[role]).get(reverse("api-queue-figures", args=[branch.code]))
    assert response.status_code == (200 if role in MANAGERS else _denied(role))


@pytest.mark.parametrize("role", [*Role, None])
def test_only_ticket_workers_may_recall(client, users_by_role, issue, open_counter, teller, role):
    ticket = issue()
    services.ticket_call_next(actor=teller, counter=open_counter)
    response = _as(client, users_by_role[role]).post(reverse("api-queue-recall", args=[ticket.pk]))
    ticket.refresh_from_db()
    if role in {Role.TELLER} | MANAGERS:
        assert response.status_code == 200 and ticket.recall_count == 1
    elif role == Role.WEALTH_MANAGER:
        assert response.status_code == 409 and ticket.recall_count == 0  # not at their counter
    else:
        assert response.status_code == _denied(role) and ticket.recall_count == 0


@pytest.mark.parametrize("role", [Role.TELLER, Role.LOBBY_MANAGER, Role.BRANCH_ADMIN])
def test_staff_of_another_branch_get_404(client, other_branch, issue, role, open_counter):
    ticket = issue()
    stranger = make_staff(role, other_branch)
    client.force_login(stranger)
    assert client.post(reverse("api-queue-recall", args=[ticket.pk])).status_code == 404
    assert client.post(reverse("api-queue-call-next", args=[open_counter.pk])).status_code == 404
    assert client.get(reverse("api-queue-state", args=[ticket.branch.code])).status_code == 404
    assert client.get(reverse("api-queue-ticket", args=[ticket.pk])).status_code == 404


def test_only_lobby_managers_prioritise(client, issue, teller, lobby_manager):
    ticket = issue()
    client.force_login(teller)
    url = reverse("api-queue-prioritise", args=[ticket.pk])
    assert client.post(url, {"boost_minutes": 10}, content_type="application/json").status_code == 403
    client.force_login(lobby_manager)
    assert client.post(url, {"boost_minutes": 10}, content_type="application/json").status_code == 200


def test_the_api_is_in_the_openapi_schema(client, teller):
    client.force_login(teller)
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    paths = schema["paths"]
    for path in ("/api/v1/queue/branches/{code}/tickets/", "/api/v1/queue/counters/{id}/call-next/",
                 "/api/v1/queue/tickets/{id}/transfer/", "/api/v1/queue/public/{token}/"):
        assert path in paths


def test_a_kiosk_refuses_a_service_that_needs_an_appointment_and_says_to_book(
        client, branch, kiosk_token, open_counter):
    from tests.factories import make_service_type

    make_service_type("BIGCASH", name_zh_hans="大额取现", name_en="Large cash withdrawal",
                      needs_appointment=True)
    response = client.post(reverse("api-queue-issue", args=[branch.code]),
                           {"service": "BIGCASH"}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Device {kiosk_token}",
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert "预约" in " ".join(response.json()["errors"]["service_type"])
    assert not Ticket.objects.exists()
