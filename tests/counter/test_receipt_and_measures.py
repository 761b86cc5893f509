"""The receipt reaches the customer by SMS and email; the measures compare pre-filled vs not."""

import datetime as dt

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from branches.roles import Role
from counter.measures import prefill_comparison, teller_day
from counter.models import Outcome, RecordStatus, ServiceRecord
from tests.counter.conftest import make_ticket
from tests.counter.test_console import confirm_the_rest, serve_and_sign
from tests.factories import make_counter, make_staff


def finish_one(client, point, ticket):
    record = serve_and_sign(client, point, ticket)
    confirm_the_rest(client, record)
    client.post(
        reverse("counter:record-finish", args=[record.pk]), {"outcome": "done"}, HTTP_HX_REQUEST="true"
    )
    return ServiceRecord.objects.get(pk=record.pk)


def test_the_receipt_link_is_sent_by_sms_and_email(
    clock, client, teller, branch, service_type, ticket, capsys, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(teller)
    point = make_counter(branch, "05", zone_kind="non_cash", services=[service_type])
    with django_capture_on_commit_callbacks(execute=True):
        record = finish_one(client, point, ticket)
    receipt = record.receipt
    receipt.refresh_from_db()
    assert receipt.sent_to == ["sms", "email"]
    assert receipt.public_token in mail.outbox[0].body
    assert receipt.public_token in capsys.readouterr().out  # the console SMS backend


def test_the_receipt_page_shows_only_masked_personal_data(
    clock, client, teller, branch, service_type, customer
):
    ticket = make_ticket(branch, service_type, customer)
    client.post(reverse("counter:ticket-form-start", args=[ticket.public_token]))
    from counter.models import PrefilledForm
    from tests.counter.schemas import GOOD_VALUES, VALID_ID

    form = PrefilledForm.objects.get(ticket=ticket)
    client.post(
        reverse("counter:ticket-form", args=[ticket.public_token, form.public_id]),
        {**GOOD_VALUES, "action": "submit"},
    )
    client.force_login(teller)
    point = make_counter(branch, "05", zone_kind="non_cash", services=[service_type])
    record = finish_one(client, point, ticket)
    page = client.get(reverse("counter:receipt", args=[record.receipt.public_token])).content.decode()
    assert "1101**********002X" in page and VALID_ID not in page
    assert "¥1,000.50" in page


def record_of(
    teller, branch, point, service_type, *, prefilled: bool, seconds: int, corrections: int = 0, n=1
):
    now = timezone.now()
    ticket = make_ticket(branch, service_type, number=f"B{n:03d}")
    return ServiceRecord.objects.create(
        ticket=ticket,
        branch=branch,
        counter=point,
        teller=teller,
        service_type=service_type,
        had_prefilled_form=prefilled,
        status=RecordStatus.FINISHED,
        outcome=Outcome.DONE,
        started_at=now - dt.timedelta(seconds=seconds),
        finished_at=now,
        handling_seconds=seconds,
        corrections=corrections,
    )


def test_prefilled_forms_are_compared_with_typed_ones(teller, branch, service_type):
    point = make_counter(branch, "05", zone_kind="non_cash", services=[service_type])
    record_of(teller, branch, point, service_type, prefilled=True, seconds=400, n=1)
    record_of(teller, branch, point, service_type, prefilled=False, seconds=600, n=2)
    report = prefill_comparison(ServiceRecord.objects.all())["account_open"]
    assert report["seconds_saved"] == 200


def test_a_tellers_day_counts_only_their_own_services(teller, branch, service_type):
    point = make_counter(branch, "05", zone_kind="non_cash", services=[service_type])
    colleague = make_staff(Role.TELLER, branch)
    record_of(teller, branch, point, service_type, prefilled=True, seconds=300, n=1)
    record_of(colleague, branch, point, service_type, prefilled=True, seconds=300, n=2)
    day = teller_day(teller, timezone.localdate())
    assert day.served == 1 and day.by_service[0].mean_seconds == 300
