"""The facts the counter hands to the compliance checks."""

import datetime as dt

import pytest
from django.utils import timezone

from compliance.services import confirmed_steps
from counter.services import compliance_facts, record_begin
from customers.services import risk_assessment_record
from tests.counter.conftest import make_ticket
from tests.factories import make_counter, make_service_type


@pytest.fixture
def record(clock, branch, customer, teller):
    service = make_service_type("FUND_X", category="wealth", complexity="complex",
                                target_minutes=15, zone_kind="wealth", risk_level="R3")
    ticket = make_ticket(branch, service, customer, number="W001")
    counter = make_counter(branch, "06", zone_kind="wealth", services=[service])
    return record_begin(actor=teller, ticket=ticket, counter=counter)


def test_first_assessment_in_person_speaks_of_the_earliest_assessment(record, customer, teller):
    today = timezone.localdate()  # under the test's clock (the `record` fixture freezes it)
    risk_assessment_record(actor=teller, customer=customer, level="C3",
                           assessed_on=today - dt.timedelta(days=400), in_person=True)
    risk_assessment_record(actor=teller, customer=customer, level="C4",
                           assessed_on=today - dt.timedelta(days=3), in_person=False)
    facts = compliance_facts(record)
    assert facts.customer_risk_level == "C4"
    assert facts.first_assessment_in_person is True


def test_confirmed_elderly_and_due_diligence_steps_reach_the_checks(record, teller):
    from compliance.services import step_confirm

    assert not compliance_facts(record).elderly_confirmed
    step_confirm(actor=teller, service_record_ref=record.ref, step="elderly_confirmation",
                 branch_code=record.branch.code, customer_id=record.customer_id)
    assert "elderly_confirmation" in confirmed_steps(record.ref)
    facts = compliance_facts(record)
    assert facts.elderly_confirmed and not facts.cdd_answered
