import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models import FormSchema
from counter.models import PrefilledForm
from queueing.models import Source, Ticket
from tests.counter.schemas import ACCOUNT_OPENING, GOOD_VALUES, VALID_ID
from tests.factories import make_counter, make_customer, make_service_type


@pytest.fixture
def service_type(db):
    service = make_service_type(
        "account_open",
        name_zh_hans="开立借记卡账户",
        name_en="Open a debit card account",
        category="account",
        complexity="complex",
        target_minutes=15,
        zone_kind="non_cash",
    )
    FormSchema.objects.create(service_type=service, version=1, fields=ACCOUNT_OPENING)
    return service


@pytest.fixture
def customer(branch):
    """The customer the pre-filled form (GOOD_VALUES) is about: same name, same ID number."""
    return make_customer(branch=branch, email="zhang@example.com", phone="13812345678", id_number=VALID_ID)


def make_ticket(branch, service_type, customer=None, *, number="B001", source=Source.REMOTE):
    return Ticket.objects.create(
        branch=branch,
        business_date=timezone.localdate(),
        prefix=number[0],
        sequence=int(number[1:]),
        queue=number[0],
        number=number,
        service_type=service_type,
        customer=customer,
        source=source,
        issued_at=timezone.now() - dt.timedelta(minutes=7),
    )


@pytest.fixture
def ticket(branch, service_type, customer):
    return make_ticket(branch, service_type, customer)


@pytest.fixture
def point(branch, service_type):
    return make_counter(branch, "05", zone_kind="non_cash", services=[service_type])


@pytest.fixture
def prefilled(client, ticket):
    """The customer filled and submitted the form from the ticket's link."""
    client.post(reverse("counter:ticket-form-start", args=[ticket.public_token]))
    form = PrefilledForm.objects.get(ticket=ticket)
    client.post(
        reverse("counter:ticket-form", args=[ticket.public_token, form.public_id]),
        {**GOOD_VALUES, "action": "submit"},
    )
    return form


@pytest.fixture
def teller_client(client, teller):
    client.force_login(teller)
    return client
