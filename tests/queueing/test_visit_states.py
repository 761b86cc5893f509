"""Every state a ticket can be in is reachable from the page of the person who needs it: parked,
no-show, customer left, transferred, and the visit's timeline."""


import pytest
from django.urls import reverse

from branches.roles import Role
from compliance.models import AuditEvent
from insights.kpis import BY_KEY
from insights.models import BranchDayStat
from insights.services import rollup_day
from queueing import services
from queueing.models import TicketStatus
from tests.factories import make_counter, make_service_type, make_staff


def _park(open_counter, teller, ticket):
    called = services.ticket_call(actor=teller, counter=open_counter, ticket=ticket)
    services.ticket_start_serving(actor=teller, ticket=called)
    return services.ticket_park(actor=teller, ticket=called, note="fetching ID card")


def test_a_parked_ticket_stays_in_the_branch_state(client, teller, issue, open_counter, branch):
    ticket = _park(open_counter, teller, issue())
    client.force_login(teller)
    state = client.get(reverse("api-queue-state", args=[branch.code])).json()
    assert [t["number"] for t in state["parked"]] == [ticket.number]
    assert state["parked"][0]["note"] == "fetching ID card"
    assert state["waiting"] == []


def test_the_lobby_manager_resumes_a_parked_ticket_from_the_dashboard(
        client, lobby_manager, teller, issue, open_counter, branch):
    ticket = _park(open_counter, teller, issue())
    client.force_login(lobby_manager)
    page = client.get(reverse("queue-dashboard"))
    assert f'data-parked="{ticket.number}"' in page.content.decode()
    response = client.post(reverse("queue-dashboard-ticket", args=[branch.code, ticket.pk, "resume"]),
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING
    body = response.content.decode()
    assert f'data-ticket="{ticket.number}"' in body and f'data-parked="{ticket.number}"' not in body


def test_a_parked_ticket_is_resumed_through_the_api(client, teller, issue, open_counter):
    ticket = _park(open_counter, teller, issue())
    client.force_login(teller)
    response = client.post(reverse("api-queue-resume", args=[ticket.pk]))
    assert response.status_code == 200 and response.json()["status"] == "waiting"


def test_the_teller_calls_a_parked_ticket_back_from_the_console(client, teller, issue, open_counter):
    ticket = _park(open_counter, teller, issue())
    client.force_login(teller)
    panel = client.get(reverse("queue-console-panel", args=[open_counter.pk])).content.decode()
    assert f'data-parked="{ticket.number}"' in panel
    response = client.post(reverse("queue-console-ticket", args=[open_counter.pk, ticket.pk, "call"]),
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "counter-refresh"
    ticket.refresh_from_db()
    assert (ticket.status, ticket.counter_id) == (TicketStatus.CALLED, open_counter.pk)


def test_the_teller_calls_a_chosen_ticket_from_the_waiting_list(client, teller, issue, open_counter):
    first, second = issue(), issue()
    client.force_login(teller)
    panel = client.get(reverse("queue-console-panel", args=[open_counter.pk])).content.decode()
    assert f'data-call="{second.number}"' in panel
    client.post(reverse("queue-console-ticket", args=[open_counter.pk, second.pk, "call"]),
                HTTP_HX_REQUEST="true")
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.status == TicketStatus.CALLED and first.status == TicketStatus.WAITING


def test_the_lobby_manager_sends_a_waiting_customer_to_a_free_counter(
        client, lobby_manager, teller, issue, open_counter, branch):
    ticket = issue()
    client.force_login(lobby_manager)
    client.post(reverse("queue-dashboard-ticket", args=[branch.code, ticket.pk, "call"]),
                {"counter": open_counter.pk}, HTTP_HX_REQUEST="true")
    ticket.refresh_from_db()
    # Called to the counter, served by the teller working it (not the lobby manager).
    assert (ticket.status, ticket.counter_id, ticket.served_by) == (
        TicketStatus.CALLED, open_counter.pk, teller)


def test_a_teller_cannot_call_to_another_tellers_counter(client, issue, open_counter, branch):
    other = make_staff(Role.TELLER, branch)
    ticket = issue()
    client.force_login(other)
    response = client.post(reverse("api-queue-call", args=[open_counter.pk]), {"ticket_id": ticket.pk},
                           content_type="application/json")
    assert response.status_code == 409
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING


def test_a_returning_no_show_is_requeued_from_the_console(client, teller, issue, open_counter):
    ticket = services.ticket_call(actor=teller, counter=open_counter, ticket=issue())
    ticket = services.ticket_no_show(actor=teller, ticket=ticket)
    client.force_login(teller)
    panel = client.get(reverse("queue-console-panel", args=[open_counter.pk])).content.decode()
    assert f'data-requeue="{ticket.number}"' in panel
    client.post(reverse("queue-console-ticket", args=[open_counter.pk, ticket.pk, "requeue"]),
                {"keep_arrival": "1"}, HTTP_HX_REQUEST="true")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING


def test_a_returning_no_show_is_requeued_from_the_dashboard(
        client, lobby_manager, teller, issue, open_counter, branch):
    ticket = issue()
    services.ticket_call(actor=teller, counter=open_counter, ticket=ticket)
    services.ticket_no_show(actor=teller, ticket=ticket)
    client.force_login(lobby_manager)
    assert f'data-no-show="{ticket.number}"' in client.get(reverse("queue-dashboard")).content.decode()
    client.post(reverse("queue-dashboard-ticket", args=[branch.code, ticket.pk, "requeue"]),
                HTTP_HX_REQUEST="true")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING


def test_a_customer_who_leaves_during_service_is_not_counted_as_served(
        client, teller, issue, open_counter, branch, clock):
    served, left = issue(), issue()
    for ticket in (served, left):
        called = services.ticket_call(actor=teller, counter=open_counter, ticket=ticket)
        services.ticket_start_serving(actor=teller, ticket=called)
        if ticket == served:
            services.ticket_finish(actor=teller, ticket=called)
    client.force_login(teller)
    response = client.post(reverse("api-queue-customer-left", args=[left.pk]), {"note": "phone call"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "left"
    assert AuditEvent.objects.filter(action="ticket.left").exists()
    rollup_day(branch=branch, day=clock.today())
    day = BranchDayStat.objects.get(branch=branch)
    totals = {"arrivals": day.arrivals, "left": day.left, "served": day.served,
              "no_shows": day.no_shows, "cancelled": day.cancelled}
    assert (day.served, day.left) == (1, 1)
    assert BY_KEY["left_during_service"].value(totals) == pytest.approx(0.5)
    assert BY_KEY["abandonment_rate"].value(totals) == pytest.approx(0.5)


def test_customer_left_from_the_console_frees_the_counter(client, teller, issue, open_counter):
    ticket = services.ticket_start_serving(
        actor=teller, ticket=services.ticket_call(actor=teller, counter=open_counter, ticket=issue()))
    client.force_login(teller)
    response = client.post(reverse("queue-console-ticket", args=[open_counter.pk, ticket.pk, "left"]),
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.LEFT
    assert services.ticket_call_next(actor=teller, counter=open_counter) is None  # free, nobody waits


def test_customer_left_is_refused_before_service_starts(client, teller, issue, open_counter):
    ticket = services.ticket_call(actor=teller, counter=open_counter, ticket=issue())
    client.force_login(teller)
    response = client.post(reverse("api-queue-customer-left", args=[ticket.pk]),
                           content_type="application/json")
    assert response.status_code == 409
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED


def test_a_transferred_ticket_goes_back_to_the_counter_it_came_from(
        client, teller, issue, open_counter, branch, deposit):
    colleague = make_staff(Role.TELLER, branch)
    other = make_counter(branch, "02", services=[deposit])
    services.counter_open(actor=colleague, counter=other)
    ticket = services.ticket_call(actor=teller, counter=open_counter, ticket=issue())
    services.ticket_transfer(actor=teller, ticket=ticket, counter=other)
    ticket = services.ticket_call_next(actor=colleague, counter=other)
    client.force_login(colleague)
    panel = client.get(reverse("queue-console-panel", args=[other.pk])).content.decode()
    assert 'data-testid="transfer-back"' in panel
    response = client.post(reverse("api-queue-transfer-back", args=[ticket.pk]),
                           content_type="application/json")
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert (ticket.status, ticket.target_counter_id) == (TicketStatus.WAITING, open_counter.pk)


def test_the_timeline_shows_state_who_where_and_when(client, teller, issue, open_counter):
    ticket = _park(open_counter, teller, issue())
    client.force_login(teller)
    steps = client.get(reverse("api-queue-timeline", args=[ticket.pk])).json()["results"]
    assert [s["kind"] for s in steps] == ["issued", "called", "serving", "parked"]
    assert steps[1]["counter"]["code"] == open_counter.code and steps[1]["by"]
    assert steps[1]["time"] == "10:00"  # branch-local time
    panel = client.get(reverse("queue-ticket-timeline", args=[ticket.pk]), HTTP_HX_REQUEST="true")
    assert 'data-step="parked"' in panel.content.decode()


def test_the_customer_sees_the_timeline_without_staff_names(client, teller, issue, open_counter):
    ticket = services.ticket_call(actor=teller, counter=open_counter, ticket=issue())
    page = client.get(reverse("api-queue-public", args=[ticket.public_token])).json()
    assert [s["kind"] for s in page["timeline"]] == ["issued", "called"]
    assert all("by" not in step for step in page["timeline"])
    html = client.get(reverse("queue-ticket", args=[ticket.public_token])).content.decode()
    assert 'data-step="called"' in html and teller.last_name not in html


def test_a_ticket_is_not_called_to_a_counter_without_the_skill(client, lobby_manager, teller, issue,
                                                               open_counter, branch):
    fx = make_service_type("FXX", target_minutes=5)
    ticket = issue(fx)
    client.force_login(lobby_manager)
    page = client.get(reverse("queue-dashboard")).content.decode()
    assert f"/tickets/{ticket.pk}/call/" not in page  # no counter to offer
    client.post(reverse("queue-dashboard-ticket", args=[branch.code, ticket.pk, "call"]),
                {"counter": open_counter.pk}, HTTP_HX_REQUEST="true")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING
