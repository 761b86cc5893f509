"""Compliance prompts on the console: a hard block is shown as a block and prevents finishing as done."""

import pytest
from django.urls import reverse

from branches.models import FormSchema
from counter.models import PrefilledForm, Receipt, ServiceRecord
from tests.counter.conftest import make_ticket
from tests.counter.test_console import act, signature_data_url
from tests.factories import make_counter, make_service_type

WITHDRAWAL_FORM = [
    {
        "name": "amount",
        "type": "money",
        "currency": "CNY",
        "required": True,
        "label": {"zh-hans": "金额", "en": "Amount"},
    },
]


@pytest.fixture
def withdrawal(db):
    service = make_service_type("CASH_WITHDRAWAL", zone_kind="cash")
    FormSchema.objects.create(service_type=service, version=1, fields=WITHDRAWAL_FORM)
    return service


def test_a_large_cash_withdrawal_without_appointment_is_blocked(
    clock,
    client,
    teller,
    branch,
    customer,  # noqa: F811
    withdrawal,
):
    ticket = make_ticket(branch, withdrawal, customer, number="A001")
    client.post(reverse("counter:ticket-form-start", args=[ticket.public_token]))
    form = PrefilledForm.objects.get(ticket=ticket)
    client.post(
        reverse("counter:ticket-form", args=[ticket.public_token, form.public_id]),
        {"amount": "60000", "action": "submit"},
    )
    point = make_counter(branch, "01", zone_kind="cash", services=[withdrawal])
    client.force_login(teller)
    act(client, point, "open")
    act(client, point, "call_next")
    page = act(client, point, "start").content.decode()
    assert 'class="block"' in page
    record = ServiceRecord.objects.get(ticket=ticket)
    client.post(
        reverse("counter:record-signature", args=[record.pk]),
        {"signature": signature_data_url()},
        HTTP_HX_REQUEST="true",
    )
    refused = client.post(
        reverse("counter:record-finish", args=[record.pk]), {"outcome": "done"}, HTTP_HX_REQUEST="true"
    )
    assert refused.status_code == 400 and not Receipt.objects.exists()
    # The refused attempt stays on record: the dashboard counts it, an override refers to it.
    from compliance.models import RuleEvaluation

    assert RuleEvaluation.objects.filter(service_record_ref=record.ref, outcome="block").exists()
    done = client.post(
        reverse("counter:record-finish", args=[record.pk]),
        {"outcome": "not_done", "reason": "needs an appointment"},
        HTTP_HX_REQUEST="true",
    )
    assert done.status_code == 200
    record.refresh_from_db()
    assert any(r["outcome"] == "block" for r in record.compliance_results)
