import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from queueing import services
from queueing.models import Ticket, TicketStatus
from tests.factories import make_customer, make_service_type


def test_numbers_count_up_per_queue_prefix(issue, loan, open_counter):
    numbers = [issue().number, issue().number, issue(loan).number, issue().number]
    assert numbers == ["A001", "A002", "B001", "A003"]


def test_numbers_start_again_on_the_next_business_day(issue, clock):
    assert issue().number == "A001"
    clock.shift(dt.timedelta(days=1))
    ticket = issue()
    assert ticket.number == "A001"
    assert ticket.business_date == clock.today()


def test_a_ticket_has_an_unguessable_link_token(issue):
    first, second = issue(), issue()
    assert len(first.public_token) >= 32
    assert first.public_token != second.public_token


def test_a_platinum_vip_gets_the_vip_queue_and_priority(issue, open_counter, branch):
    vip = make_customer(branch=branch, vip_tier=2)
    ticket = issue(customer=vip)
    assert ticket.number == "V001"
    assert ticket.priority_class == "vip"


def test_an_elderly_customer_is_routed_with_elderly_priority(issue, open_counter, branch):
    elder = make_customer(branch=branch, birth_date=dt.date(1950, 1, 1))
    assert issue(customer=elder).priority_class == "elderly"


def test_an_on_time_appointment_gets_appointment_priority(issue, open_counter):
    ticket = issue(source="appointment", appointment_priority=True)
    assert ticket.priority_class == "appointment"
    assert ticket.source == "appointment"


def test_the_quoted_wait_is_recorded_at_issue(issue, open_counter):
    issue()
    second = issue()
    assert second.quoted_wait_seconds is not None
    assert second.quoted_wait_seconds > 0
    assert second.estimated_wait_seconds == second.quoted_wait_seconds


def test_no_open_counter_means_no_quote_but_a_ticket(issue):
    ticket = issue()
    assert ticket.status == TicketStatus.WAITING
    assert ticket.quoted_wait_seconds is None


def test_a_kiosk_service_can_take_the_self_service_alternative(issue, branch, clock):
    from tests.factories import make_counter

    balance = make_service_type("BALANCE", allow_kiosk=True, target_minutes=3)
    make_counter(branch, "K1", kind="kiosk", zone_kind="self_service", services=[balance],
                 status="open")
    ticket = issue(balance, channel="kiosk")
    assert ticket.channel == "kiosk"
    assert ticket.number.startswith("S")


def test_a_service_that_cannot_be_done_at_a_kiosk_refuses_the_kiosk_channel(issue, loan):
    with pytest.raises(ValidationError) as error:
        issue(loan, channel="kiosk")
    assert "channel" in error.value.message_dict
    assert not Ticket.objects.exists()


def test_the_closed_branch_refuses_tickets(branch, deposit):
    import time_machine

    from tests.queueing.conftest import SHANGHAI

    with time_machine.travel(dt.datetime(2026, 11, 23, 20, 0, tzinfo=SHANGHAI), tick=False):
        with pytest.raises(ValidationError) as error:
            services.ticket_issue(issue=services.IssueRequest(
                branch=branch, service_type=deposit, source="kiosk"))
    assert "branch" in error.value.message_dict
    assert not Ticket.objects.exists()


def test_an_inactive_service_is_refused(issue):
    retired = make_service_type("OLD", is_active=False)
    with pytest.raises(ValidationError):
        issue(retired)
    assert not Ticket.objects.exists()


def test_a_vip_arrival_raises_a_dashboard_alert(issue, branch, open_counter):
    from queueing.alerts import recent_alerts

    issue(customer=make_customer(branch=branch, vip_tier=1, name="王小明"))
    [alert] = recent_alerts(branch)
    assert alert["kind"] == "vip_arrived"
    assert "王**" in alert["text"]["zh-hans"] and "王小明" not in alert["text"]["en"]


# --- remote tickets ---------------------------------------------------------------------

@pytest.fixture
def located_branch(branch):
    branch.latitude, branch.longitude = 39.9087, 116.3975
    branch.save(update_fields=["latitude", "longitude"])
    return branch


def _remote(branch, service, customer, **kwargs):
    return services.ticket_issue(issue=services.IssueRequest(
        branch=branch, service_type=service, source="remote",
        customer=customer, **kwargs))


def test_a_customer_nearby_takes_a_remote_ticket(located_branch, deposit, clock):
    customer = make_customer(branch=located_branch)
    ticket = _remote(located_branch, deposit, customer, location=(39.915, 116.404))
    assert ticket.source == "remote" and ticket.customer == customer


def test_a_remote_ticket_from_too_far_away_is_refused(located_branch, deposit, clock):
    customer = make_customer(branch=located_branch)
    with pytest.raises(ValidationError) as error:
        _remote(located_branch, deposit, customer, location=(31.2304, 121.4737))  # Shanghai
    assert "location" in error.value.message_dict
    assert not Ticket.objects.exists()


def test_a_remote_ticket_needs_a_location_or_an_arrival_time(located_branch, deposit, clock):
    customer = make_customer(branch=located_branch)
    with pytest.raises(ValidationError):
        _remote(located_branch, deposit, customer)
    with pytest.raises(ValidationError):
        _remote(located_branch, deposit, customer, arrival_minutes=90)
    assert _remote(located_branch, deposit, customer, arrival_minutes=20).number == "A001"


def test_a_customer_holds_one_remote_ticket_at_a_time(located_branch, deposit, clock):
    customer = make_customer(branch=located_branch)
    _remote(located_branch, deposit, customer, arrival_minutes=10)
    with pytest.raises(ValidationError) as error:
        _remote(located_branch, deposit, customer, arrival_minutes=10)
    assert "A001" in str(error.value)


def test_remote_tickets_are_limited_per_customer_per_day(located_branch, deposit, clock):
    customer = make_customer(branch=located_branch)
    for _ in range(3):
        ticket = _remote(located_branch, deposit, customer, arrival_minutes=10)
        services.ticket_cancel(ticket=ticket)
    with pytest.raises(ValidationError):
        _remote(located_branch, deposit, customer, arrival_minutes=10)
    assert Ticket.objects.count() == 3


@pytest.mark.parametrize("source", ["kiosk", "remote", "walk_in"])
def test_a_service_that_needs_an_appointment_is_no_walk_in_ticket(issue, open_counter, branch,
                                                                   source):
    large_cash = make_service_type("BIGCASH", name_en="Large cash withdrawal",
                                   needs_appointment=True)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        issue(large_cash, source=source, customer=make_customer(branch=branch),
              arrival_minutes=10)
    assert "book" in " ".join(error.value.message_dict["service_type"])
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("source", ["appointment", "face"])
def test_a_checked_in_appointment_still_gets_its_by_appointment_service(issue, open_counter,
                                                                         source):
    large_cash = make_service_type("BIGCASH", needs_appointment=True)
    ticket = issue(large_cash, source=source, appointment_priority=True)
    assert ticket.status == TicketStatus.WAITING
