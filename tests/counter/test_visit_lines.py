"""A visit holds several service lines, added, changed and removed at the counter without sending
the customer back to the queue; the receipt lists every line."""

import pytest
from django.urls import reverse

from compliance.models import AuditEvent
from counter.models import Receipt, RecordStatus, ServiceRecord
from queueing.models import Ticket, TicketStatus
from tests.counter.test_console import confirm_the_rest, serve_and_sign, signature_data_url
from tests.factories import make_service_type


@pytest.fixture
def card_replacement(db):
    return make_service_type("CARD_REPLACE", name_zh_hans="补办银行卡", name_en="Replace a card")


def _line(client, record, action, **data):
    url = reverse("counter:record-line", args=[record.pk, action])
    return client.post(url, data, HTTP_HX_REQUEST="true")


def _sign_and_finish(client, record):
    client.post(
        reverse("counter:record-signature", args=[record.pk]),
        {"signature": signature_data_url()},
        HTTP_HX_REQUEST="true",
    )
    return client.post(
        reverse("counter:record-finish", args=[record.pk]), {"outcome": "done"}, HTTP_HX_REQUEST="true"
    )


def test_a_visit_with_two_services_ends_with_one_receipt_listing_both(
    clock, prefilled, teller_client, point, ticket, card_replacement
):
    first = serve_and_sign(teller_client, point, ticket)
    added = _line(teller_client, first, "add", service_type=card_replacement.pk)
    assert "补办银行卡" in added.content.decode() and 'data-testid="line-2"' in added.content.decode()
    confirm_the_rest(teller_client, first)
    finished_first = teller_client.post(
        reverse("counter:record-finish", args=[first.pk]), {"outcome": "done"}, HTTP_HX_REQUEST="true"
    )

    assert finished_first.status_code == 200
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.SERVING
    assert not Receipt.objects.exists()
    second = ServiceRecord.objects.get(ticket=ticket, service_type=card_replacement)
    assert second.status == RecordStatus.IN_PROGRESS and second.counter == point
    assert 'data-testid="current-ticket"' in finished_first.content.decode()

    assert _sign_and_finish(teller_client, second).status_code == 200
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.DONE
    receipt = Receipt.objects.get()
    headings = [label for label, *_ in receipt.content["form_rows"] if label.startswith("业务 ")]
    assert headings == ["业务 1：开立借记卡账户", "业务 2：补办银行卡"]
    assert dict(receipt.content["lines"])["业务"] == "开立借记卡账户 + 补办银行卡"
    page = teller_client.get(reverse("counter:receipt", args=[receipt.public_token])).content.decode()
    assert "业务 1：开立借记卡账户" in page and "业务 2：补办银行卡" in page


def test_changing_the_service_keeps_the_customer_at_the_counter(
    clock, prefilled, teller_client, point, ticket, card_replacement
):
    record = serve_and_sign(teller_client, point, ticket)
    changed = _line(teller_client, record, "change", service_type=card_replacement.pk)

    assert changed.status_code == 200
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.status == TicketStatus.SERVING and ticket.counter == point
    record.refresh_from_db()
    assert record.service_type == card_replacement and record.status == RecordStatus.IN_PROGRESS
    assert not record.signature_sha256  # what was signed was the other service
    event = AuditEvent.objects.get(action="visit.line_changed")
    assert event.before["service"] == "account_open" and event.after["service"] == "CARD_REPLACE"
    assert _sign_and_finish(teller_client, record).status_code == 200


def test_a_line_is_removed_but_never_the_visits_last_one(
    clock, prefilled, teller_client, point, ticket, card_replacement
):
    record = serve_and_sign(teller_client, point, ticket)
    assert _line(teller_client, record, "remove").status_code == 400
    _line(teller_client, record, "add", service_type=card_replacement.pk)
    planned = ServiceRecord.objects.get(ticket=ticket, status=RecordStatus.PLANNED)

    assert _line(teller_client, planned, "remove").status_code == 200

    assert ServiceRecord.objects.get(pk=planned.pk).status == RecordStatus.REMOVED
    assert AuditEvent.objects.filter(action="visit.line_removed").exists()


def test_the_api_adds_and_changes_lines(clock, prefilled, teller_client, point, ticket, card_replacement):
    record = serve_and_sign(teller_client, point, ticket)
    added = teller_client.post(
        reverse("counter:api-line-add", args=[record.pk]),
        {"service_type": "CARD_REPLACE"},
        content_type="application/json",
    )
    assert added.status_code == 201 and added.json()["status"] == "planned"
    refused = teller_client.post(
        reverse("counter:api-line-change", args=[record.pk]),
        {"service_type": "no-such-service"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["errors"]["service_type"]


def test_a_line_added_before_a_transfer_is_served_at_the_next_counter(
    clock, prefilled, teller_client, teller, branch, service_type, point, ticket, card_replacement
):
    from branches.roles import Role
    from counter.services import service_start, service_transfer
    from queueing.services import counter_open, ticket_call_next
    from tests.factories import make_counter, make_staff

    first = serve_and_sign(teller_client, point, ticket)
    _line(teller_client, first, "add", service_type=card_replacement.pk)
    other = make_counter(branch, "06", zone_kind="non_cash", services=[service_type, card_replacement])
    service_transfer(actor=teller, ticket=Ticket.objects.get(pk=ticket.pk), counter=other, note="卡务")
    colleague = make_staff(Role.TELLER, branch, username="teller2")
    counter_open(actor=colleague, counter=other)
    called = ticket_call_next(actor=colleague, counter=other)

    line = service_start(actor=colleague, ticket=called, counter=other)

    assert line.service_type == card_replacement and line.counter == other
    assert ServiceRecord.objects.get(pk=first.pk).outcome == "referred"
