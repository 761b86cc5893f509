"""A note on the ticket (e.g. from the kiosk: a deaf customer, please write) is the first thing the
teller reads about the called customer."""

from django.urls import reverse

from tests.counter.test_console import serve

NOTE = "聋人客户（手语）：请用书面方式沟通。 / Deaf customer (sign language): please communicate in writing."


def test_the_teller_sees_the_tickets_note_prominently_once_called(clock, teller_client, point, ticket):
    ticket.note = NOTE
    ticket.save(update_fields=["note"])
    page = serve(teller_client, point).content.decode()
    assert 'data-testid="ticket-note"' in page and NOTE in page
    # Above everything else about the visit: right under the ticket's number.
    assert page.index('data-testid="current-ticket"') < page.index(NOTE) < page.index("已等候")


def test_the_refreshed_panel_keeps_the_note(clock, teller_client, point, ticket):
    ticket.note = NOTE
    ticket.save(update_fields=["note"])
    serve(teller_client, point)
    panel = teller_client.get(reverse("counter:console-current", args=[point.pk])).content.decode()
    assert 'data-testid="ticket-note"' in panel and "Deaf customer" in panel


def test_a_ticket_without_a_note_shows_none(clock, teller_client, point, ticket):
    assert 'data-testid="ticket-note"' not in serve(teller_client, point).content.decode()
