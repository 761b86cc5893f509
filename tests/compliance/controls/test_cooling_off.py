"""The customer may cancel a wealth purchase inside its cooling-off period, from their page."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from compliance import hooks
from compliance.models import CoolingOff, CoolingOffStatus
from compliance.services import cooling_off_open
from customers.models import Customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def purchase(customer_user, teller, branch):
    customer = Customer.objects.get(user=customer_user)
    with transaction.atomic():
        return cooling_off_open(actor=teller, customer_id=customer.pk, branch_code=branch.code,
                                service_record_ref="counter.ServiceRecord:7",
                                product_code="WM-2026-01", sold_at=timezone.now())


def cancel(client, cooling_off):
    return client.post(f"/api/compliance/cooling-off/{cooling_off.pk}/cancel/",
                       {"reason": "改变主意"}, content_type="application/json")


def test_the_deadline_is_24_hours_after_the_sale(purchase):
    assert purchase.deadline - purchase.sold_at == dt.timedelta(hours=24)


def test_the_customer_cancels_inside_the_period_and_the_sale_is_reversed(
        client_of, customer_user, purchase):
    reversed_refs = []
    handler = hooks.on_cooling_off_cancelled(lambda c: reversed_refs.append(c.service_record_ref))
    try:
        response = cancel(client_of(customer_user), purchase)
    finally:
        hooks._cooling_off_cancelled.remove(handler)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    assert reversed_refs == ["counter.ServiceRecord:7"]


def test_one_minute_after_the_deadline_it_is_too_late(client_of, customer_user, purchase):
    with time_machine.travel(purchase.deadline + dt.timedelta(minutes=1)):
        response = cancel(client_of(customer_user), purchase)
    assert response.status_code == 409
    assert CoolingOff.objects.get(pk=purchase.pk).status == CoolingOffStatus.OPEN


def test_another_customer_cannot_cancel_it(client_of, branch, purchase):
    from tests.factories import make_customer_user

    assert cancel(client_of(make_customer_user(branch=branch)), purchase).status_code == 404


def test_staff_cannot_cancel_on_the_customers_behalf_here(client_of, teller, purchase):
    assert cancel(client_of(teller), purchase).status_code == 404


def test_the_customer_cancels_from_their_purchases_page(client_of, customer_user, purchase):
    client = client_of(customer_user)
    page = client.get("/compliance/my-purchases/").content.decode()
    assert "WM-2026-01" in page
    response = client.post("/compliance/my-purchases/", {"cooling_off": purchase.pk})
    assert response.status_code == 302
    assert CoolingOff.objects.get(pk=purchase.pk).status == CoolingOffStatus.CANCELLED


def test_the_purchases_page_is_only_for_customers(client_of, teller):
    assert client_of(teller).get("/compliance/my-purchases/").status_code == 403
