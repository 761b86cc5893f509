"""A customer at a VTM asks for a remote teller, who takes the call, asks for a confirmation with
a signature and finishes the service with a record, as at a counter."""

import base64
import io

import pytest
from PIL import Image, ImageDraw

from branches.models import ServicePoint
from branches.roles import Role
from compliance.models import AuditEvent
from counter.models import RecordStatus, ServiceRecord
from counter.services import record_finish
from kiosk.models import ConfirmationStatus, VtmSession, VtmStatus
from queueing.models import CounterSession, TicketStatus
from tests.factories import make_branch, make_staff
from tests.kiosk.conftest import start


def signature() -> str:
    image = Image.new("RGBA", (300, 100), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(10, 80), (120, 20), (290, 70)], fill=(0, 0, 0, 255), width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


@pytest.fixture
def waiting_call(vtm, account_open, clock):
    start(vtm)
    response = post(vtm, "/api/kiosk/vtm/", {"service_type": account_open.code})
    assert response.status_code == 201, response.content
    return VtmSession.objects.get(public_id=response.json()["session"])


def test_asking_for_a_remote_teller_queues_a_vtm_ticket(waiting_call):
    assert waiting_call.status == VtmStatus.WAITING
    assert waiting_call.ticket.channel == "vtm" and waiting_call.ticket.status == TicketStatus.WAITING
    assert AuditEvent.objects.filter(action="vtm.request").exists()


def test_a_kiosk_without_a_video_teller_cannot_ask_for_one(kiosk, account_open, clock):
    start(kiosk)
    response = post(kiosk, "/api/kiosk/vtm/", {"service_type": account_open.code})
    assert response.status_code == 400 and "device" in response.json()["errors"]


def test_a_vtm_without_a_camera_cannot_take_calls(vtm, vtm_point, account_open, clock):
    vtm_point.capabilities = {"camera": False}
    vtm_point.save(update_fields=["capabilities"])
    start(vtm)
    assert post(vtm, "/api/kiosk/vtm/", {"service_type": account_open.code}).status_code == 400
    assert not any(s["remote_teller"] for s in vtm.get("/api/kiosk/services/").json())


def test_a_service_not_allowed_at_a_vtm_is_refused(vtm, deposit, clock):
    start(vtm)
    response = post(vtm, "/api/kiosk/vtm/", {"service_type": deposit.code})
    assert response.status_code == 400 and "service_type" in response.json()["errors"]


def test_the_remote_teller_sees_the_waiting_call_and_takes_it(client, waiting_call, remote_teller):
    client.force_login(remote_teller)
    assert [c["ticket"] for c in client.get("/api/kiosk/vtm/queue/").json()] == [waiting_call.ticket.number]
    response = post(client, f"/api/kiosk/vtm/{waiting_call.public_id}/accept/")
    assert response.status_code == 200, response.content
    waiting_call.refresh_from_db()
    assert waiting_call.status == VtmStatus.CONNECTED and waiting_call.teller == remote_teller
    assert waiting_call.ticket.status == TicketStatus.SERVING
    assert waiting_call.record.status == RecordStatus.IN_PROGRESS
    assert CounterSession.objects.current().get(teller=remote_teller).counter == waiting_call.point


def test_a_second_teller_cannot_take_a_call_already_taken(client, waiting_call, remote_teller, branch):
    other = make_staff(Role.TELLER, branch, username="remote2", is_remote_teller=True)
    client.force_login(remote_teller)
    post(client, f"/api/kiosk/vtm/{waiting_call.public_id}/accept/")
    client.force_login(other)
    assert post(client, f"/api/kiosk/vtm/{waiting_call.public_id}/accept/").status_code == 403


@pytest.mark.parametrize("who", ["counter_teller", "lobby_manager", "other_branch_remote_teller"])
def test_only_remote_tellers_of_the_branch_take_calls(client, waiting_call, who, lobby_manager):
    users = {
        "counter_teller": lambda: make_staff(Role.TELLER, waiting_call.branch, username="plain"),
        "lobby_manager": lambda: lobby_manager,
        "other_branch_remote_teller": lambda: make_staff(Role.TELLER, make_branch("GZ903"),
                                                         username="far", is_remote_teller=True),
    }
    client.force_login(users[who]())
    response = post(client, f"/api/kiosk/vtm/{waiting_call.public_id}/accept/")
    assert response.status_code in (403, 404)
    waiting_call.refresh_from_db()
    assert waiting_call.status == VtmStatus.WAITING


def test_the_remote_teller_asks_for_a_signed_confirmation_and_finishes_with_a_record(
        client, vtm, waiting_call, remote_teller):
    client.force_login(remote_teller)
    post(client, f"/api/kiosk/vtm/{waiting_call.public_id}/accept/")
    pushed = post(client, f"/api/kiosk/vtm/{waiting_call.public_id}/confirm/",
                  {"title": "开户确认", "text": "确认开立借记卡账户", "needs_signature": True})
    assert pushed.status_code == 200 and pushed.json()["confirmation_status"] == "pending"

    unsigned = post(vtm, f"/api/kiosk/vtm/{waiting_call.public_id}/answer/", {"confirmed": True})
    assert unsigned.status_code == 400 and "signature" in unsigned.json()["errors"]
    signed = post(vtm, f"/api/kiosk/vtm/{waiting_call.public_id}/answer/",
                  {"confirmed": True, "signature": signature()})
    assert signed.status_code == 200, signed.content
    assert signed.json()["confirmation_status"] == ConfirmationStatus.CONFIRMED

    waiting_call.refresh_from_db()
    record = ServiceRecord.objects.get(pk=waiting_call.record_id)
    assert record.signature_sha256
    record_finish(actor=remote_teller, record=record, outcome="done")
    waiting_call.refresh_from_db()
    assert waiting_call.status == VtmStatus.FINISHED
    assert waiting_call.ticket.status == TicketStatus.DONE
    assert waiting_call.point.status == ServicePoint.Status.CLOSED  # the teller is free again


def test_a_customer_who_walks_away_from_the_queue_cancels_the_ticket(vtm, waiting_call):
    post(vtm, "/api/kiosk/session/end/", {"reason": "idle"})
    waiting_call.refresh_from_db()
    assert waiting_call.status == VtmStatus.CANCELLED
    assert waiting_call.ticket.status == TicketStatus.CANCELLED


def test_hanging_up_during_the_call_ends_the_service_as_not_done(client, vtm, waiting_call, remote_teller):
    client.force_login(remote_teller)
    post(client, f"/api/kiosk/vtm/{waiting_call.public_id}/accept/")
    assert post(vtm, f"/api/kiosk/vtm/{waiting_call.public_id}/cancel/").status_code == 200
    waiting_call.refresh_from_db()
    assert waiting_call.status in (VtmStatus.FINISHED, VtmStatus.CANCELLED)
    assert ServiceRecord.objects.get(pk=waiting_call.record_id).outcome == "not_done"
    assert not CounterSession.objects.current().filter(teller=remote_teller).exists()


def test_another_machine_cannot_answer_the_confirmation(kiosk, waiting_call):
    response = post(kiosk, f"/api/kiosk/vtm/{waiting_call.public_id}/answer/", {"confirmed": True})
    assert response.status_code == 404


def test_the_call_page_shows_what_a_counter_teller_sees(client, waiting_call, remote_teller):
    client.force_login(remote_teller)
    post(client, f"/api/kiosk/vtm/{waiting_call.public_id}/accept/")
    page = client.get(f"/kiosk/remote-teller/{waiting_call.public_id}/").content.decode()
    assert 'data-testid="current-ticket"' in page and waiting_call.ticket.number in page
    assert 'data-testid="confirm-form"' in page


def test_the_teller_finishes_through_counters_own_finish_form(client, vtm, waiting_call, remote_teller):
    client.force_login(remote_teller)
    post(client, f"/api/kiosk/vtm/{waiting_call.public_id}/accept/")
    waiting_call.refresh_from_db()
    response = client.post(f"/counter/records/{waiting_call.record_id}/finish/",
                           {"outcome": "not_done", "reason": "客户改日再办"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    waiting_call.refresh_from_db()
    assert waiting_call.status == VtmStatus.FINISHED
