import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from compliance import hooks
from compliance.checks import Facts, run_checks
from compliance.services import record_evaluation
from tests.factories import make_customer


@pytest.fixture
def client_of():
    def login(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def customer(branch):
    return make_customer(branch=branch, phone="13812345678")


@pytest.fixture
def service_records():
    """Service records the counter would report through the compliance hook."""
    records: list[hooks.ServiceRecordInfo] = []

    def source(*, start, end, branch_codes):
        return [r for r in records if branch_codes is None or r.branch_code in branch_codes]

    hooks.register_service_record_source(source)
    yield records
    hooks._service_record_sources.remove(source)


def c3_facts(**changes) -> Facts:
    today = timezone.localdate()
    values = {"today": today, "now": timezone.now(), "customer_risk_level": "C3",
              "assessment_date": today - dt.timedelta(days=10),
              "assessment_expires_on": today + dt.timedelta(days=300),
              "first_assessment_in_person": True, "customer_age": 40,
              "recording_ref": "REC-1", "recording_seconds": 600}
    return Facts(**{**values, **changes})


@pytest.fixture
def blocked_sale(teller, branch, customer):
    """A teller tried to sell an R4 product to a C3 customer; the evaluation is on record."""
    ref = "counter.ServiceRecord:1"
    results = run_checks(service_code="WEALTH_PRODUCT", product_risk_level="R4", facts=c3_facts())
    evaluation = record_evaluation(actor=teller, branch_code=branch.code, customer_id=customer.pk,
                                   service_record_ref=ref, service_code="WEALTH_PRODUCT",
                                   results=results, product_risk_level="R4")
    return evaluation
