from queueing import services
from queueing.models import TicketStatus


def test_a_ticket_goes_from_waiting_to_done(issue, open_counter, teller):
    ticket = issue()
    assert ticket.number == "A001" and ticket.status == TicketStatus.WAITING
    called = services.ticket_call_next(actor=teller, counter=open_counter)
    assert called.pk == ticket.pk and called.status == TicketStatus.CALLED
    services.ticket_start_serving(actor=teller, ticket=called)
    done = services.ticket_finish(actor=teller, ticket=called)
    assert done.status == TicketStatus.DONE
