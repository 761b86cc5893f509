import datetime as dt

import pytest

from branches.roles import Role
from compliance.models import AuditEvent
from queueing import services
from queueing.errors import TicketStateError
from queueing.models import CounterSession, Ticket, TicketStatus
from tests.factories import make_counter, make_staff


def _status(ticket):
    ticket.refresh_from_db()
    return ticket.status


def test_call_next_takes_the_longest_waiting_ticket_of_equal_priority(issue, open_counter, teller,
                                                                      clock):
    first = issue()
    clock.shift(dt.timedelta(minutes=1))
    issue()
    assert services.ticket_call_next(actor=teller, counter=open_counter) == first


def test_call_next_returns_nothing_when_nobody_waits(open_counter, teller):
    assert services.ticket_call_next(actor=teller, counter=open_counter) is None


def test_call_next_skips_services_the_counter_cannot_serve(issue, branch, teller, clock, loan,
                                                           deposit):
    cash_only = make_counter(branch, "02", services=[deposit])
    services.counter_open(actor=teller, counter=cash_only)
    issue(loan)
    assert services.ticket_call_next(actor=teller, counter=cash_only) is None


def test_a_ticket_past_the_maximum_wait_is_called_first(issue, open_counter, teller, clock, branch):
    from tests.factories import make_customer

    old = issue()
    clock.shift(dt.timedelta(minutes=25))
    issue(customer=make_customer(branch=branch, vip_tier=3))
    assert services.ticket_call_next(actor=teller, counter=open_counter) == old


def test_calling_records_the_actual_wait_and_the_counter(issue, open_counter, teller, clock):
    ticket = issue()
    clock.shift(dt.timedelta(minutes=4))
    called = services.ticket_call_next(actor=teller, counter=open_counter)
    assert called.actual_wait_seconds == 240
    assert called.counter == open_counter and called.served_by == teller
    assert [e.kind for e in ticket.events.all()] == ["issued", "called"]


def test_every_step_is_audited(issue, open_counter, teller):
    ticket = issue()
    services.ticket_call_next(actor=teller, counter=open_counter)
    services.ticket_start_serving(actor=teller, ticket=ticket)
    services.ticket_finish(actor=teller, ticket=ticket)
    actions = list(AuditEvent.objects.filter(object_type__endswith="ticket")
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["ticket.issued", "ticket.called", "ticket.serving", "ticket.done"]


def test_a_ticket_is_recalled_up_to_the_limit_then_only_no_show_is_left(issue, open_counter,
                                                                         teller):
    ticket = issue()
    services.ticket_call_next(actor=teller, counter=open_counter)
    services.ticket_recall(actor=teller, ticket=ticket)
    services.ticket_recall(actor=teller, ticket=ticket)
    with pytest.raises(TicketStateError):
        services.ticket_recall(actor=teller, ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.recall_count == 2
    services.ticket_no_show(actor=teller, ticket=ticket)
    assert _status(ticket) == TicketStatus.NO_SHOW


def test_overdue_recalled_tickets_become_no_shows_automatically(issue, open_counter, teller, clock,
                                                                branch):
    ticket = issue()
    services.ticket_call_next(actor=teller, counter=open_counter)
    services.ticket_recall(actor=teller, ticket=ticket)
    services.ticket_recall(actor=teller, ticket=ticket)
    assert services.ticket_mark_no_shows(branch=branch) == []
    clock.shift(dt.timedelta(minutes=3))
    assert services.ticket_mark_no_shows(branch=branch) == [ticket]
    assert services.ticket_mark_no_shows(branch=branch) == []
    assert _status(ticket) == TicketStatus.NO_SHOW


def test_a_customer_who_missed_the_call_goes_back_to_the_end_of_the_queue(issue, open_counter,
                                                                           teller, clock):
    missed = issue()
    services.ticket_call_next(actor=teller, counter=open_counter)
    services.ticket_no_show(actor=teller, ticket=missed)
    clock.shift(dt.timedelta(minutes=1))
    later = issue()
    clock.shift(dt.timedelta(minutes=1))
    services.ticket_requeue(actor=teller, ticket=missed)
    assert _status(missed) == TicketStatus.WAITING
    assert services.ticket_call_next(actor=teller, counter=open_counter) == later


def test_a_transfer_keeps_the_number_and_the_original_arrival(issue, open_counter, teller, clock,
                                                              loan):
    ticket = issue()
    services.ticket_call_next(actor=teller, counter=open_counter)
    clock.shift(dt.timedelta(minutes=5))
    moved = services.ticket_transfer(actor=teller, ticket=ticket, service_type=loan, note="贷款咨询")
    assert moved.number == "A001" and moved.queue == "B"
    assert moved.status == TicketStatus.WAITING
    assert moved.queued_at == moved.issued_at
    assert moved.service_type == loan


def test_a_transfer_to_a_counter_is_only_called_by_that_counter(issue, open_counter, teller,
                                                                branch, deposit, loan):
    colleague = make_staff(Role.TELLER, branch)
    other = make_counter(branch, "02", services=[deposit, loan])
    services.counter_open(actor=colleague, counter=other)
    ticket = issue()
    services.ticket_transfer(actor=teller, ticket=ticket, counter=other)
    assert services.ticket_call_next(actor=teller, counter=open_counter) is None
    assert services.ticket_call_next(actor=colleague, counter=other) == ticket


def test_a_transfer_can_restart_the_wait_when_the_teller_chooses(issue, teller, clock, open_counter):
    ticket = issue()
    clock.shift(dt.timedelta(minutes=5))
    moved = services.ticket_transfer(actor=teller, ticket=ticket, queue="B", keep_arrival=False)
    assert moved.queued_at > moved.issued_at


def test_a_parked_ticket_frees_the_counter_and_comes_back_in_its_place(issue, open_counter, teller,
                                                                        clock):
    ticket = issue()
    services.ticket_call_next(actor=teller, counter=open_counter)
    services.ticket_start_serving(actor=teller, ticket=ticket)
    services.ticket_park(actor=teller, ticket=ticket, note="取身份证")
    clock.shift(dt.timedelta(minutes=1))
    newer = issue()
    assert services.ticket_call_next(actor=teller, counter=open_counter) == newer
    services.ticket_no_show(actor=teller, ticket=newer)
    services.ticket_resume(actor=teller, ticket=ticket)
    assert services.ticket_call_next(actor=teller, counter=open_counter) == ticket


def test_a_teller_calls_a_parked_ticket_directly(issue, open_counter, teller):
    ticket = issue()
    services.ticket_call_next(actor=teller, counter=open_counter)
    services.ticket_park(actor=teller, ticket=ticket)
    assert services.ticket_call(actor=teller, counter=open_counter, ticket=ticket).status == "called"


def test_a_prioritised_ticket_is_called_before_older_ones(issue, open_counter, teller, clock,
                                                         lobby_manager):
    issue()
    clock.shift(dt.timedelta(minutes=2))
    urgent = issue()
    services.ticket_prioritise(actor=lobby_manager, ticket=urgent, boost_minutes=30)
    assert services.ticket_call_next(actor=teller, counter=open_counter) == urgent


def test_the_customer_cancels_a_waiting_ticket(issue):
    ticket = issue()
    services.ticket_cancel(ticket=ticket)
    assert _status(ticket) == TicketStatus.CANCELLED


@pytest.mark.parametrize("step", ["ticket_start_serving", "ticket_finish", "ticket_recall",
                                  "ticket_no_show", "ticket_resume", "ticket_requeue"])
def test_a_step_out_of_order_is_refused_and_changes_nothing(issue, step, teller, open_counter):
    ticket = issue()
    with pytest.raises(TicketStateError):
        getattr(services, step)(actor=teller, ticket=ticket)
    assert _status(ticket) == TicketStatus.WAITING
    assert [e.kind for e in ticket.events.all()] == ["issued"]


def test_a_finished_ticket_cannot_be_cancelled(issue, open_counter, teller):
    ticket = issue()
    services.ticket_call_next(actor=teller, counter=open_counter)
    services.ticket_start_serving(actor=teller, ticket=ticket)
    services.ticket_finish(actor=teller, ticket=ticket)
    with pytest.raises(TicketStateError):
        services.ticket_cancel(ticket=ticket)
    assert _status(ticket) == TicketStatus.DONE


def test_a_teller_cannot_work_a_ticket_at_another_counter(issue, open_counter, teller, branch):
    ticket = issue()
    services.ticket_call_next(actor=teller, counter=open_counter)
    stranger = make_staff(Role.TELLER, branch)
    with pytest.raises(TicketStateError):
        services.ticket_finish(actor=stranger, ticket=ticket)


# --- counters -----------------------------------------------------------------------------

def test_calling_from_a_closed_counter_is_refused_and_changes_nothing(issue, counter, teller, clock):
    ticket = issue()
    with pytest.raises(TicketStateError):
        services.ticket_call_next(actor=teller, counter=counter)
    assert _status(ticket) == TicketStatus.WAITING


def test_calling_from_a_paused_counter_is_refused(issue, open_counter, teller):
    issue()
    services.counter_pause(actor=teller, counter=open_counter, reason="午休")
    with pytest.raises(TicketStateError):
        services.ticket_call_next(actor=teller, counter=open_counter)
    open_counter.refresh_from_db()
    assert open_counter.status == "paused" and open_counter.pause_reason == "午休"


def test_a_pause_needs_a_reason(open_counter, teller):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.counter_pause(actor=teller, counter=open_counter, reason=" ")


def test_a_paused_counter_opens_again(open_counter, teller):
    services.counter_pause(actor=teller, counter=open_counter, reason="break")
    assert services.counter_open(actor=teller, counter=open_counter).status == "open"


def test_a_teller_serves_from_one_counter_at_a_time(open_counter, teller, branch, deposit):
    second = make_counter(branch, "02", services=[deposit])
    with pytest.raises(TicketStateError):
        services.counter_open(actor=teller, counter=second)
    second.refresh_from_db()
    assert second.status == "closed"
    assert CounterSession.objects.current().filter(teller=teller).count() == 1


def test_the_database_refuses_a_second_open_counter_for_a_teller(open_counter, teller, branch):
    from django.db import IntegrityError, transaction

    second = make_counter(branch, "02")
    with pytest.raises(IntegrityError), transaction.atomic():
        CounterSession.objects.create(counter=second, teller=teller)


def test_a_counter_with_a_customer_cannot_close(issue, open_counter, teller):
    issue()
    services.ticket_call_next(actor=teller, counter=open_counter)
    with pytest.raises(TicketStateError):
        services.counter_close(actor=teller, counter=open_counter)


def test_closing_frees_the_teller_for_another_counter(open_counter, teller, branch):
    services.counter_close(actor=teller, counter=open_counter)
    second = make_counter(branch, "02")
    assert services.counter_open(actor=teller, counter=second).status == "open"


def test_a_lobby_manager_opens_a_counter_for_a_teller(counter, teller, lobby_manager, clock):
    services.counter_open(actor=lobby_manager, counter=counter, teller=teller)
    assert CounterSession.objects.current().get(counter=counter).teller == teller


def test_a_teller_cannot_open_a_counter_of_another_branch(teller, other_branch, clock):
    from django.core.exceptions import ValidationError

    foreign = make_counter(other_branch, "09")
    with pytest.raises(ValidationError):
        services.counter_open(actor=teller, counter=foreign)
    assert not Ticket.objects.exists()


def test_a_self_service_ticket_is_served_at_the_kiosk_and_finished(issue, branch, clock):
    from tests.factories import make_device, make_service_type

    balance = make_service_type("BALANCE", allow_kiosk=True, target_minutes=3)
    kiosk = make_counter(branch, "K1", kind="kiosk", zone_kind="self_service", services=[balance],
                         status="open")
    device, _ = make_device(branch, "kiosk", service_point=kiosk)
    ticket = issue(balance, channel="kiosk")
    clock.shift(dt.timedelta(minutes=2))
    serving = services.ticket_self_serve(ticket=ticket, device=device)
    assert serving.status == TicketStatus.SERVING and serving.counter == kiosk
    assert serving.actual_wait_seconds == 120
    assert services.ticket_finish(actor=None, ticket=serving).status == TicketStatus.DONE


def test_a_counter_ticket_cannot_be_self_served(issue, branch, deposit, clock):
    from django.core.exceptions import ValidationError

    from tests.factories import make_device

    kiosk = make_counter(branch, "K1", kind="kiosk", zone_kind="self_service", status="open")
    device, _ = make_device(branch, "kiosk", service_point=kiosk)
    ticket = issue(channel="counter")
    with pytest.raises(ValidationError):
        services.ticket_self_serve(ticket=ticket, device=device)
    assert _status(ticket) == TicketStatus.WAITING
