"""A language preference waits for a matching teller only up to the branch's bound (part of the
quoted wait); then any skilled counter calls the customer."""

import datetime as dt

import pytest
from django.urls import reverse

from branches.roles import Role
from queueing import services
from tests.factories import make_counter, make_service_type, make_staff


@pytest.fixture
def mandarin_counter(branch, teller, deposit, clock):
    counter = make_counter(branch, "01", services=[deposit])
    services.counter_open(actor=teller, counter=counter)
    return counter


@pytest.fixture
def korean_teller(branch, deposit):
    return make_staff(Role.TELLER, branch, skills=[deposit], languages=["zh-hans", "ko"])


def test_a_korean_speaker_is_called_by_an_idle_mandarin_counter_after_the_bound(
        client, branch, teller, deposit, mandarin_counter, korean_teller, clock):
    loan = make_service_type("LOANX", complexity="special", target_minutes=30, category="loan")
    korean_teller.staff_profile.skills.add(loan)
    korean_counter = make_counter(branch, "02", services=[deposit, loan])
    services.counter_open(actor=korean_teller, counter=korean_counter)
    # The Korean-speaking teller is busy with a long service.
    long_one = services.ticket_issue(issue=services.IssueRequest(
        branch=branch, service_type=loan, source="kiosk"))
    services.ticket_start_serving(actor=korean_teller, ticket=services.ticket_call(
        actor=korean_teller, counter=korean_counter, ticket=long_one))
    ticket = services.ticket_issue(issue=services.IssueRequest(
        branch=branch, service_type=deposit, source="kiosk", language="ko"))
    assert ticket.language_required == "ko"
    assert ticket.quoted_wait_seconds == 5 * 60  # the bound is part of the quote
    page = client.get(reverse("api-queue-public", args=[ticket.public_token])).json()
    assert page["estimated_wait_minutes"] == 5
    for minutes in (0, 4.9):
        clock.move_to(ticket.issued_at + dt.timedelta(minutes=minutes))
        assert services.ticket_call_next(actor=teller, counter=mandarin_counter) is None
    clock.move_to(ticket.issued_at + dt.timedelta(minutes=5))
    assert services.ticket_call_next(actor=teller, counter=mandarin_counter) == ticket


def test_a_language_only_counts_counters_that_can_serve_the_service(
        branch, teller, deposit, mandarin_counter, clock):
    # The only Korean speaker sits at a counter without the deposit skill.
    other = make_service_type("FX", target_minutes=5)
    korean = make_staff(Role.TELLER, branch, skills=[other], languages=["ko"])
    services.counter_open(actor=korean, counter=make_counter(branch, "02", services=[other]))
    ticket = services.ticket_issue(issue=services.IssueRequest(
        branch=branch, service_type=deposit, source="kiosk", language="ko"))
    assert ticket.language_required == ""
    assert services.ticket_call_next(actor=teller, counter=mandarin_counter) == ticket


def test_the_bound_is_a_branch_setting(branch, teller, deposit, mandarin_counter, korean_teller,
                                       clock):
    branch.queue_settings = {"language_wait_minutes": 2}
    branch.save(update_fields=["queue_settings"])
    korean_counter = make_counter(branch, "02", services=[deposit])
    services.counter_open(actor=korean_teller, counter=korean_counter)
    services.ticket_start_serving(actor=korean_teller, ticket=services.ticket_call(
        actor=korean_teller, counter=korean_counter,
        ticket=services.ticket_issue(issue=services.IssueRequest(
            branch=branch, service_type=deposit, source="kiosk"))))
    ticket = services.ticket_issue(issue=services.IssueRequest(
        branch=branch, service_type=deposit, source="kiosk", language="ko"))
    clock.move_to(ticket.issued_at + dt.timedelta(minutes=2))
    assert services.ticket_call_next(actor=teller, counter=mandarin_counter) == ticket
