"""The identity on the form is the customer's at the counter, or an agent (代办) is recorded; a
compliance check never passes on an ID nobody read."""

import datetime as dt

from django.urls import reverse

from compliance.models import AuditEvent
from core.pii import mask_id_number
from counter.models import PrefilledForm, Receipt, RecordStatus, ServiceRecord
from counter.services import compliance_results, record_begin
from tests.counter.conftest import make_ticket
from tests.counter.schemas import GOOD_VALUES, VALID_ID
from tests.counter.test_console import confirm_the_rest, serve_and_sign
from tests.factories import make_counter, make_service_type, resident_id

OTHER_ID = resident_id(serial=451)  # 张伟's, not the customer's


def _prefill(client, ticket, **changes):
    client.post(reverse("counter:ticket-form-start", args=[ticket.public_token]))
    form = PrefilledForm.objects.get(ticket=ticket)
    client.post(
        reverse("counter:ticket-form", args=[ticket.public_token, form.public_id]),
        {**GOOD_VALUES, **changes, "action": "submit"},
    )
    return form


def _finish(client, record):
    return client.post(
        reverse("counter:record-finish", args=[record.pk]), {"outcome": "done"}, HTTP_HX_REQUEST="true"
    )


def _record_agent(client, record, **data):
    return client.post(reverse("counter:record-agent", args=[record.pk]), data, HTTP_HX_REQUEST="true")


def test_a_form_in_another_persons_name_blocks_until_the_agent_is_recorded(
    clock, client, teller_client, point, ticket
):
    _prefill(client, ticket, full_name="张伟", id_number=OTHER_ID)
    record = serve_and_sign(teller_client, point, ticket)
    confirm_the_rest(teller_client, record)
    page = teller_client.get(reverse("counter:console-current", args=[point.pk])).content.decode()
    identity_card = page.split('data-testid="identity"')[1].split("</section>")[0]
    assert 'data-testid="identity-mismatch"' in identity_card and "张*" in identity_card
    assert mask_id_number(OTHER_ID) in identity_card and OTHER_ID not in identity_card

    refused = _finish(teller_client, record)
    assert refused.status_code == 400 and "代办" in refused.content.decode()
    assert ServiceRecord.objects.get(pk=record.pk).status == RecordStatus.IN_PROGRESS

    assert (
        _record_agent(
            teller_client, record, agent_name="张三丰", agent_id_number="123", agent_relationship="spouse"
        ).status_code
        == 400
    )
    holder = _record_agent(
        teller_client, record, agent_name="张三丰", agent_id_number=OTHER_ID, agent_relationship="spouse"
    )
    assert holder.status_code == 400
    recorded = _record_agent(
        teller_client, record, agent_name="张三丰", agent_id_number=VALID_ID, agent_relationship="spouse"
    )
    assert 'data-testid="agent-recorded"' in recorded.content.decode()
    assert VALID_ID not in recorded.content.decode() and "1101**********002X" in recorded.content.decode()
    event = AuditEvent.objects.get(action="service.agent")
    assert event.after["agent_id_number"] == "1101**********002X" and VALID_ID not in str(event.after)

    assert _finish(teller_client, record).status_code == 200
    receipt = Receipt.objects.get()
    agent_line = dict(receipt.content["lines"])["代办人"]
    assert "张**" in agent_line and "1101**********002X" in agent_line and "配偶" in agent_line


def test_correcting_the_form_to_the_customer_clears_the_mismatch(clock, client, teller_client, point, ticket):
    _prefill(client, ticket, full_name="张伟", id_number=OTHER_ID)
    record = serve_and_sign(teller_client, point, ticket)
    url = reverse("counter:record-verify", args=[record.pk])
    teller_client.post(url, {"field": "full_name", "value": "张三丰", "correct": "1"}, HTTP_HX_REQUEST="true")
    teller_client.post(url, {"field": "id_number", "value": VALID_ID, "correct": "1"}, HTTP_HX_REQUEST="true")
    confirm_the_rest(teller_client, record)
    assert _finish(teller_client, record).status_code == 200


def test_the_api_refuses_a_mismatch_and_records_an_agent(clock, client, teller_client, point, ticket):
    _prefill(client, ticket, full_name="张伟", id_number=OTHER_ID)
    record = serve_and_sign(teller_client, point, ticket)
    confirm_the_rest(teller_client, record)
    finish = reverse("counter:api-record-finish", args=[record.pk])
    refused = teller_client.post(finish, {"outcome": "done"}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["errors"]["identity"]
    agent = teller_client.post(
        reverse("counter:api-record-agent", args=[record.pk]),
        {"name": "张三丰", "id_number": VALID_ID, "relationship": "parent"},
        content_type="application/json",
    ).json()
    assert agent["identity"] == "agent" and agent["agent"]["id_number"] == "1101**********002X"
    assert teller_client.post(finish, {"outcome": "done"}, content_type="application/json").status_code == 200


def _account_opening_record(branch, teller, customer):
    service = make_service_type("ACCOUNT_OPENING", category="account", zone_kind="non_cash")
    ticket = make_ticket(branch, service, customer, number="B010")
    counter = make_counter(branch, "07", zone_kind="non_cash", services=[service])
    return record_begin(actor=teller, ticket=ticket, counter=counter)


def test_id_expiry_is_not_checked_for_a_walk_in_nobody_identified(clock, branch, teller):
    record = _account_opening_record(branch, teller, customer=None)
    result = next(r for r in compliance_results(record) if r.rule == "id_expiry")
    assert result.outcome == "warn" and result.reason_zh_hans.startswith("未核验")


def test_id_expiry_passes_for_an_identified_customer_with_a_valid_id(clock, branch, teller, customer):
    customer.id_expiry = dt.date(2036, 1, 1)
    customer.save(update_fields=["id_expiry"])
    record = _account_opening_record(branch, teller, customer)
    result = next(r for r in compliance_results(record) if r.rule == "id_expiry")
    assert result.outcome == "pass"


def test_the_console_says_not_checked_when_nobody_was_identified(clock, branch, teller_client, service_type):
    ticket = make_ticket(branch, service_type, None, number="B011")
    point = make_counter(branch, "08", zone_kind="non_cash", services=[service_type])
    serve_and_sign(teller_client, point, ticket)
    page = teller_client.get(reverse("counter:console-current", args=[point.pk])).content.decode()
    assert 'data-testid="identity-not-checked"' in page and "未核验" in page
