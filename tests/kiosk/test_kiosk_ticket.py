"""Taking a ticket, checking in, pre-filling a form and asking a question at the kiosk."""

import time_machine

from compliance.models import AuditEvent
from counter.models import FormStatus, PrefilledForm
from counter.panel import customer_panel
from kiosk.models import ActivityKind, KioskSession, SelfServiceRecord
from kiosk.selectors import self_service_items
from kiosk.services import kiosk_ticket_take
from queueing.models import Source, Ticket
from tests.counter.schemas import VALID_ID
from tests.kiosk.conftest import OPEN_MORNING, start


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def test_services_are_searchable_by_keyword(kiosk, deposit, account_open):
    names = [s["code"] for s in kiosk.get("/api/kiosk/services/?q=现金").json()]
    assert names == ["DEPOSIT"]
    everything = {s["code"]: s for s in kiosk.get("/api/kiosk/services/").json()}
    assert everything["DEPOSIT"]["can_do_here"] is True
    assert everything["ACCOUNT_OPEN"]["can_do_here"] is False
    assert everything["ACCOUNT_OPEN"]["has_form"] is True


def test_the_recommendation_says_it_can_be_done_here_now(kiosk, deposit, clock):
    start(kiosk)
    rec = kiosk.get(f"/api/kiosk/services/{deposit.code}/recommendation/").json()
    assert rec["channel"] == "kiosk"
    assert rec["label"] == "可在本机立即办理"


def test_the_recommendation_quotes_the_counter_wait_in_minutes(kiosk, account_open, clock, teller):
    from queueing.services import counter_open
    from tests.factories import make_counter

    counter_open(actor=teller, counter=make_counter(account_open_branch(account_open, kiosk),
                                                    "01", zone_kind="non_cash"))
    start(kiosk, language="en")
    rec = kiosk.get(f"/api/kiosk/services/{account_open.code}/recommendation/",
                    HTTP_ACCEPT_LANGUAGE="en").json()
    assert rec["channel"] == "counter"
    assert rec["label"].startswith("Counter")


def account_open_branch(_service, client):
    from branches.models import Device

    return Device.objects.get(pk=client.session["device_id"]).branch


def test_a_ticket_is_taken_with_a_qr_code_for_the_customers_ticket_page(kiosk, deposit, kiosk_device, clock):
    start(kiosk)
    response = post(kiosk, "/api/kiosk/tickets/", {"service_type": deposit.code})
    assert response.status_code == 201
    ticket = Ticket.objects.get()
    body = response.json()
    assert body["number"] == ticket.number
    assert body["url"].endswith(f"/queue/t/{ticket.public_token}/")
    assert body["qr_svg"].startswith("<svg")
    assert ticket.source == Source.KIOSK and ticket.device == kiosk_device[0]
    record = SelfServiceRecord.objects.get()
    assert record.kind == ActivityKind.TICKET and record.ticket == ticket


def test_a_service_needing_an_appointment_sends_the_customer_to_check_in(kiosk, deposit, clock):
    deposit.needs_appointment = True
    deposit.save(update_fields=["needs_appointment"])
    start(kiosk)
    response = post(kiosk, "/api/kiosk/tickets/", {"service_type": deposit.code})
    assert response.status_code == 400
    message = response.json()["errors"]["service_type"][0]
    assert "appointment" in message or "预约" in message
    assert not Ticket.objects.exists()


def test_a_ticket_outside_opening_hours_is_refused_plainly(kiosk, deposit):
    start(kiosk)
    with time_machine.travel(OPEN_MORNING.replace(hour=8), tick=False):
        response = post(kiosk, "/api/kiosk/tickets/", {"service_type": deposit.code})
    assert response.status_code == 400
    assert "branch" in response.json()["errors"]


def test_a_form_prefilled_at_the_kiosk_goes_with_the_ticket_to_the_counter(kiosk, account_open, clock):
    start(kiosk)
    form = post(kiosk, "/api/kiosk/forms/", {"service_type": account_open.code}).json()
    assert [f["name"] for f in form["fields"]][:2] == ["full_name", "id_number"]
    refused = post(kiosk, f"/api/kiosk/forms/{form['form']}/",
                   {"values": {"full_name": "张三"}, "submit": True})
    assert refused.status_code == 400 and "id_number" in refused.json()["errors"]
    assert PrefilledForm.objects.get().status == FormStatus.DRAFT
    values = {"full_name": "张三", "id_number": VALID_ID, "mobile": "13812345678", "purpose": "salary",
              "initial_deposit": "100"}
    saved = post(kiosk, f"/api/kiosk/forms/{form['form']}/", {"values": values, "submit": True})
    assert saved.status_code == 200, saved.content
    post(kiosk, "/api/kiosk/tickets/", {"service_type": account_open.code, "channel": "counter"})
    prefilled = PrefilledForm.objects.get()
    assert prefilled.status == FormStatus.SUBMITTED and prefilled.ticket == Ticket.objects.get()
    assert prefilled.source == "kiosk"


def test_another_sessions_form_cannot_be_saved(kiosk, account_open, clock):
    start(kiosk)
    form = post(kiosk, "/api/kiosk/forms/", {"service_type": account_open.code}).json()
    start(kiosk)
    response = post(kiosk, f"/api/kiosk/forms/{form['form']}/", {"values": {"full_name": "X"}})
    assert response.status_code == 404


def test_checking_in_with_an_unknown_code_says_so(kiosk, clock):
    start(kiosk)
    response = post(kiosk, "/api/kiosk/check-in/", {"code": "ABCD-EFGHJ"})
    assert response.status_code in (400, 404)
    assert response.json()["code"] in ("not_found", "invalid") and response.json()["detail"]


def test_checking_in_an_appointment_issues_its_ticket(kiosk, account_open, branch, clock):
    from appointments.models import AppointmentStatus
    from appointments.qr import qr_payload
    from appointments.services import appointment_book
    from tests.factories import make_counter, make_customer_user

    make_counter(branch, "01", zone_kind="non_cash", services=[account_open])
    customer = make_customer_user(branch=branch).customer
    appointment = appointment_book(actor=customer.user, customer=customer, branch=branch,
                                   service_type=account_open, start=OPEN_MORNING.replace(hour=11, minute=30))
    clock.move_to(OPEN_MORNING.replace(hour=11, minute=25))
    start(kiosk)
    response = post(kiosk, "/api/kiosk/check-in/", {"code": qr_payload(appointment.code)})
    assert response.status_code == 200, response.content
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CHECKED_IN
    assert response.json()["number"] == appointment.ticket.number
    assert SelfServiceRecord.objects.get(kind=ActivityKind.CHECK_IN).customer == customer


def test_self_service_records_reach_the_audit_trail_and_the_customers_360_items(
        kiosk_device, deposit, customer, clock):
    session = KioskSession.objects.create(device=kiosk_device[0], branch=kiosk_device[0].branch,
                                          customer=customer)
    ticket = kiosk_ticket_take(session=session, service_type=deposit)
    assert AuditEvent.objects.filter(action="ticket.issued", device_id=kiosk_device[0].pk).exists()
    [item] = self_service_items(customer)
    assert ticket.number in item["label"] and "存款" in item["label"]


def test_the_counters_360_view_lists_the_kiosk_self_service(kiosk_device, deposit, customer, clock):
    session = KioskSession.objects.create(device=kiosk_device[0], branch=kiosk_device[0].branch,
                                          customer=customer)
    ticket = kiosk_ticket_take(session=session, service_type=deposit)
    panel = customer_panel(customer)
    assert any(ticket.number in item["label"] for item in panel.self_service)


def test_self_service_done_here_is_served_by_this_kiosk_until_the_customer_finishes(
        kiosk, deposit, kiosk_point, clock):
    from queueing.models import TicketStatus

    start(kiosk)
    post(kiosk, "/api/kiosk/tickets/", {"service_type": deposit.code, "channel": "kiosk"})
    ticket = Ticket.objects.get()
    assert ticket.status == TicketStatus.SERVING and ticket.counter == kiosk_point
    post(kiosk, "/api/kiosk/session/end/", {"reason": "finished"})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DONE


def test_a_counter_ticket_taken_at_the_kiosk_waits_for_the_counter(kiosk, deposit, clock):
    from queueing.models import TicketStatus

    start(kiosk)
    post(kiosk, "/api/kiosk/tickets/", {"service_type": deposit.code, "channel": "counter"})
    post(kiosk, "/api/kiosk/session/end/", {"reason": "idle"})
    assert Ticket.objects.get().status == TicketStatus.WAITING
