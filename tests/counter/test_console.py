"""A teller serves a customer who pre-filled the form: verify instead of retyping, sign, receipt."""

import base64
import io

from django.urls import reverse
from PIL import Image, ImageDraw

from compliance.models import AuditEvent
from counter import verification
from counter.models import FieldVerification, FormStatus, Outcome, PrefilledForm, Receipt, ServiceRecord
from queueing.models import TicketStatus
from tests.factories import make_counter


def signature_data_url():
    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 80), (120, 20), (290, 90)], fill=(0, 0, 0, 255), width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def act(client, point, action, **data):
    return client.post(
        reverse("counter:console-action", args=[point.pk, action]), data, HTTP_HX_REQUEST="true"
    )


def serve(client, point):
    assert act(client, point, "open").status_code == 302
    act(client, point, "call_next")
    return act(client, point, "start")


def serve_and_sign(client, point, ticket) -> ServiceRecord:
    """Call and serve the ticket; the customer signs on the counter's pad."""
    serve(client, point)
    record = ServiceRecord.objects.get(ticket=ticket)
    client.post(
        reverse("counter:record-signature", args=[record.pk]),
        {"signature": signature_data_url()},
        HTTP_HX_REQUEST="true",
    )
    return record


def confirm_the_rest(client, record):
    """The teller confirms every pre-filled field not yet checked."""
    for name in verification.pending_fields(ServiceRecord.objects.get(pk=record.pk)):
        url = reverse("counter:record-verify", args=[record.pk])
        client.post(url, {"field": name}, HTTP_HX_REQUEST="true")


def test_the_teller_sees_the_prefilled_form_after_calling_the_ticket(
    clock, prefilled, teller_client, point, ticket
):
    response = serve(teller_client, point)
    page = response.content.decode()
    assert ticket.number in page
    assert "张三丰" in page and "¥1,000.50" in page
    record = ServiceRecord.objects.get(ticket=ticket)
    assert record.form == prefilled and record.had_prefilled_form


def test_a_correction_keeps_the_old_value(clock, prefilled, teller_client, point, ticket):
    serve(teller_client, point)
    record = ServiceRecord.objects.get(ticket=ticket)
    url = reverse("counter:record-verify", args=[record.pk])
    teller_client.post(url, {"field": "full_name"}, HTTP_HX_REQUEST="true")
    response = teller_client.post(
        url, {"field": "mobile", "value": "13912345678", "correct": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    correction = FieldVerification.objects.get(field_name="mobile")
    assert correction.outcome == "corrected" and "13812345678" in correction.old_value
    prefilled.refresh_from_db()
    assert prefilled.values["mobile"] == "13912345678"
    assert prefilled.submitted_values["mobile"] == "13812345678"


def test_an_invalid_correction_is_refused_and_changes_nothing(clock, prefilled, teller_client, point, ticket):
    serve(teller_client, point)
    record = ServiceRecord.objects.get(ticket=ticket)
    response = teller_client.post(
        reverse("counter:record-verify", args=[record.pk]),
        {"field": "id_number", "value": "123", "correct": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert not FieldVerification.objects.exists()


def test_finishing_as_done_needs_the_customers_signature(clock, prefilled, teller_client, point, ticket):
    serve(teller_client, point)
    record = ServiceRecord.objects.get(ticket=ticket)
    response = teller_client.post(
        reverse("counter:record-finish", args=[record.pk]), {"outcome": "done"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert not Receipt.objects.exists()


def test_a_full_service_ends_with_a_signed_receipt_and_an_audit_trail(
    clock, prefilled, teller_client, point, ticket, client_factory=None
):
    from django.test import Client

    serve(teller_client, point)
    record = ServiceRecord.objects.get(ticket=ticket)
    teller_client.post(
        reverse("counter:record-verify", args=[record.pk]),
        {"field": "mobile", "value": "13912345678", "correct": "1"},
        HTTP_HX_REQUEST="true",
    )
    teller_client.post(reverse("counter:record-signature", args=[record.pk]), HTTP_HX_REQUEST="true")
    phone = Client()
    assert (
        "signature-pad"
        in phone.get(reverse("counter:ticket-home", args=[ticket.public_token])).content.decode()
    )
    signed = phone.post(
        reverse("counter:ticket-sign", args=[ticket.public_token]),
        {"signature": signature_data_url()},
        HTTP_HX_REQUEST="true",
    )
    assert signed.status_code == 200
    confirm_the_rest(teller_client, record)
    response = teller_client.post(
        reverse("counter:record-finish", args=[record.pk]), {"outcome": "done"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200

    record.refresh_from_db()
    ticket.refresh_from_db()
    prefilled.refresh_from_db()
    assert record.outcome == Outcome.DONE and record.corrections == 1
    assert ticket.status == TicketStatus.DONE and prefilled.status == FormStatus.VERIFIED
    assert record.verified_values["mobile"] == "13912345678"
    assert record.filled_values["mobile"] == "13812345678"
    receipt = Receipt.objects.get(record=record)
    page = phone.get(reverse("counter:ticket-home", args=[ticket.public_token])).content.decode()
    assert reverse("counter:receipt-pdf", args=[receipt.public_token]) in page
    pdf = phone.get(reverse("counter:receipt-pdf", args=[receipt.public_token]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    for step in [
        "form.start",
        "form.submit",
        "ticket.called",
        "ticket.serving",
        "service.begin",
        "form.field_corrected",
        "service.signature_requested",
        "service.signed",
        "ticket.done",
        "service.finish",
    ]:
        assert step in actions
    signed_event = AuditEvent.objects.get(action="service.signed")
    assert signed_event.after["signature_sha256"] == record.signature_sha256


def test_the_console_counts_todays_customers_and_clean_forms(clock, prefilled, teller_client, point, ticket):
    record = serve_and_sign(teller_client, point, ticket)
    confirm_the_rest(teller_client, record)
    teller_client.post(
        reverse("counter:record-finish", args=[record.pk]), {"outcome": "done"}, HTTP_HX_REQUEST="true"
    )
    page = teller_client.get(reverse("counter:console-measures", args=[point.pk])).content.decode()
    assert 'data-testid="served">1<' in page and "100%" in page


def test_not_done_needs_a_reason(clock, prefilled, teller_client, point, ticket):
    serve(teller_client, point)
    record = ServiceRecord.objects.get(ticket=ticket)
    url = reverse("counter:record-finish", args=[record.pk])
    assert teller_client.post(url, {"outcome": "not_done"}, HTTP_HX_REQUEST="true").status_code == 400
    assert (
        teller_client.post(
            url, {"outcome": "not_done", "reason": "ID expired"}, HTTP_HX_REQUEST="true"
        ).status_code
        == 200
    )


def test_steps_are_timed(clock, prefilled, teller_client, point, ticket):
    serve(teller_client, point)
    record = ServiceRecord.objects.get(ticket=ticket)
    clock.shift(90)
    teller_client.post(
        reverse("counter:record-step", args=[record.pk]), {"step": "confirm_need"}, HTTP_HX_REQUEST="true"
    )
    identify = record.steps.get(step="identify")
    assert identify.seconds >= 90


def test_without_a_prefilled_form_the_teller_fills_one_at_the_counter(clock, teller_client, point, ticket):
    serve(teller_client, point)
    record = ServiceRecord.objects.get(ticket=ticket)
    assert not record.had_prefilled_form
    teller_client.post(reverse("counter:record-form", args=[record.pk]), HTTP_HX_REQUEST="true")
    response = teller_client.post(
        reverse("counter:record-verify", args=[record.pk]),
        {"field": "full_name", "value": "王五", "correct": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    form = PrefilledForm.objects.get(ticket=ticket)
    assert form.source == "teller" and form.values == {"full_name": "王五"}


def test_the_console_offers_standard_scripts_for_exceptions(clock, prefilled, teller_client, point, ticket):
    page = serve(teller_client, point).content.decode()
    assert "Your ID card has expired" in page or "身份证已过有效期" in page
    record = ServiceRecord.objects.get(ticket=ticket)
    teller_client.post(
        reverse("counter:record-exception", args=[record.pk]),
        {"kind": "expired_id", "action": "alternative"},
        HTTP_HX_REQUEST="true",
    )
    record.refresh_from_db()
    assert record.exceptions[0]["kind"] == "expired_id" and record.exceptions[0]["action"] == "alternative"


def test_a_transfer_to_a_colleague_ends_the_record_as_referred(
    clock, prefilled, teller_client, point, ticket, branch, service_type
):
    from django.test import Client

    from queueing.models import Ticket
    from tests.factories import make_staff

    colleague = make_staff("teller", branch, username="colleague")
    other_point = make_counter(branch, "06", zone_kind="non_cash", services=[service_type])
    colleague_client = Client()
    colleague_client.force_login(colleague)
    act(colleague_client, other_point, "open")
    serve(teller_client, point)
    act(teller_client, point, "transfer", colleague=colleague.pk, note="needs a supervisor")
    record = ServiceRecord.objects.get(ticket=ticket)
    assert record.outcome == Outcome.REFERRED and "needs a supervisor" in record.referred_to
    assert Ticket.objects.get(pk=ticket.pk).target_counter == other_point


def test_the_api_signs_and_finishes_a_service(clock, prefilled, teller_client, point, ticket):
    serve(teller_client, point)
    record = ServiceRecord.objects.get(ticket=ticket)
    url = reverse("counter:api-record-finish", args=[record.pk])
    refused = teller_client.post(url, {"outcome": "done"}, content_type="application/json")
    assert refused.status_code == 400 and "signature" in refused.json()["errors"]
    signed = teller_client.post(
        reverse("counter:api-record-sign", args=[record.pk]),
        {"signature": signature_data_url()},
        content_type="application/json",
    )
    assert len(signed.json()["signature_sha256"]) == 64
    unchecked = teller_client.post(url, {"outcome": "done"}, content_type="application/json")
    assert unchecked.status_code == 400
    errors = unchecked.json()["errors"]
    assert "姓名" in errors["verification"][0] and "form.full_name" in errors and "form.mobile" in errors
    for name in verification.pending_fields(record):
        teller_client.post(
            reverse("counter:api-form-verify", args=[prefilled.public_id]),
            {"field": name},
            content_type="application/json",
        )
    finished = teller_client.post(url, {"outcome": "done"}, content_type="application/json")
    assert finished.status_code == 200 and finished.json()["receipt"].startswith("R")


def test_a_finished_service_can_no_longer_be_corrected(clock, prefilled, teller_client, point, ticket):
    serve(teller_client, point)
    record = ServiceRecord.objects.get(ticket=ticket)
    teller_client.post(
        reverse("counter:record-finish", args=[record.pk]),
        {"outcome": "not_done", "reason": "x"},
        HTTP_HX_REQUEST="true",
    )
    response = teller_client.post(
        reverse("counter:api-form-verify", args=[prefilled.public_id]),
        {"field": "mobile", "value": "13912345678"},
        content_type="application/json",
    )
    assert response.status_code == 400
    prefilled.refresh_from_db()
    assert prefilled.values["mobile"] == "13812345678"


def test_the_customer_panel_names_special_needs_in_the_tellers_language(
    clock, teller_client, point, ticket
):
    ticket.customer.needs_wheelchair = True
    ticket.customer.save(update_fields=["needs_wheelchair"])
    page = serve(teller_client, point).content.decode()
    assert "使用轮椅" in page and "wheelchair" not in page
