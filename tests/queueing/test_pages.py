import pytest
from django.urls import reverse

from branches.roles import Role
from queueing import services
from queueing.models import Ticket, TicketStatus
from tests.factories import make_device, make_staff


def _sign_in_device(client, token):
    return client.post(reverse("device-login"), {"token": token})


def test_a_lobby_screen_signs_in_once_and_lands_on_its_screen(client, branch, clock):
    _, token = make_device(branch, "lobby_screen")
    _sign_in_device(client, token)
    response = client.get(reverse("device-home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("device-home-lobby_screen")
    page = response.content.decode()
    assert 'data-ws="/ws/queue/lobby/?branch=BJ901"' in page
    assert "<script>" not in page  # no inline scripts: the CSP forbids them


def test_the_lobby_screen_sends_visitors_to_the_device_sign_in(client):
    response = client.get(reverse("device-home-lobby_screen"))
    assert response.status_code == 302 and response.url == reverse("device-login")


def test_a_kiosk_is_not_a_lobby_screen(client, branch):
    _sign_in_device(client, make_device(branch, "kiosk")[1])
    assert client.get(reverse("device-home-lobby_screen")).status_code == 403


def test_a_lobby_manager_previews_the_lobby_screen(client, lobby_manager):
    client.force_login(lobby_manager)
    assert client.get(reverse("device-home-lobby_screen")).status_code == 200


def test_the_ticket_page_shows_number_position_and_estimate(client, issue, open_counter):
    issue()
    ticket = issue()
    page = client.get(reverse("queue-ticket", args=[ticket.public_token])).content.decode()
    assert "A002" in page
    assert 'id="ticket-position">2<' in page
    assert f'data-ws="/ws/queue/ticket/{ticket.public_token}/"' in page


def test_the_customer_cancels_from_the_ticket_page(client, issue):
    ticket = issue()
    response = client.post(reverse("queue-ticket-cancel", args=[ticket.public_token]), follow=True)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CANCELLED
    assert 'id="cancel-form"' in response.content.decode()


def test_the_ticket_qr_code_is_an_svg_of_the_ticket_link(client, issue):
    ticket = issue()
    response = client.get(reverse("queue-ticket-qr", args=[ticket.public_token]))
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")


def test_a_customer_takes_a_remote_ticket_on_the_phone_page(client, customer_user, branch, deposit,
                                                           clock):
    client.force_login(customer_user)
    response = client.post(reverse("queue-remote"), {"branch": branch.pk, "service": deposit.pk,
                                                      "arrival_minutes": 10})
    ticket = Ticket.objects.get()
    assert response.url == reverse("queue-ticket", args=[ticket.public_token])


def test_a_remote_ticket_too_late_shows_why(client, customer_user, branch, deposit, clock):
    client.force_login(customer_user)
    response = client.post(reverse("queue-remote"), {"branch": branch.pk, "service": deposit.pk,
                                                      "arrival_minutes": 120})
    assert response.status_code == 200
    assert "30" in response.content.decode()
    assert not Ticket.objects.exists()


# --- dashboard ----------------------------------------------------------------------------

def test_the_dashboard_shows_queues_counters_and_waiting_customers(client, lobby_manager, issue,
                                                                   open_counter):
    issue()
    client.force_login(lobby_manager)
    page = client.get(reverse("queue-dashboard")).content.decode()
    assert 'data-ticket="A001"' in page
    assert f'data-counter="{open_counter.code}"' in page
    assert 'data-ws="/ws/queue/staff/BJ901/"' in page


@pytest.mark.parametrize("role", [Role.TELLER, Role.WEALTH_MANAGER, Role.COMPLIANCE_OFFICER,
                                  Role.CUSTOMER])
def test_the_dashboard_is_for_lobby_managers_and_admins(client, users_by_role, role):
    client.force_login(users_by_role[role])
    assert client.get(reverse("queue-dashboard")).status_code == 403


def test_a_lobby_manager_cannot_open_another_branchs_dashboard(client, other_branch, branch):
    client.force_login(make_staff(Role.LOBBY_MANAGER, other_branch))
    assert client.get(reverse("queue-dashboard"), {"branch": branch.code}).status_code == 404


def test_the_lobby_manager_issues_a_walk_in_ticket(client, lobby_manager, branch, deposit, clock):
    client.force_login(lobby_manager)
    response = client.post(reverse("queue-walk-in", args=[branch.code]), {"service": deposit.pk},
                           HTTP_HX_REQUEST="true")
    assert 'data-ticket="A001"' in response.content.decode()
    assert Ticket.objects.get().source == "walk_in"


def test_the_lobby_manager_opens_a_counter_for_a_teller(client, lobby_manager, counter, teller,
                                                       branch, clock):
    client.force_login(lobby_manager)
    client.post(reverse("queue-dashboard-counter", args=[branch.code, counter.pk, "open"]),
                {"teller": teller.pk}, HTTP_HX_REQUEST="true")
    counter.refresh_from_db()
    assert counter.status == "open"


def test_the_lobby_manager_reroutes_and_prioritises_a_ticket(client, lobby_manager, issue, branch):
    ticket = issue()
    client.force_login(lobby_manager)
    client.post(reverse("queue-dashboard-ticket", args=[branch.code, ticket.pk, "transfer"]),
                {"queue": "B"}, HTTP_HX_REQUEST="true")
    client.post(reverse("queue-dashboard-ticket", args=[branch.code, ticket.pk, "prioritise"]),
                {"boost_minutes": "15"}, HTTP_HX_REQUEST="true")
    ticket.refresh_from_db()
    assert (ticket.queue, ticket.boost, ticket.number) == ("B", 15.0, "A001")


def test_the_dashboard_figures_part_draws_the_hourly_chart(client, lobby_manager, issue, open_counter,
                                                           teller, branch):
    ticket = issue()
    services.ticket_call_next(actor=teller, counter=open_counter)
    services.ticket_start_serving(actor=teller, ticket=ticket)
    services.ticket_finish(actor=teller, ticket=ticket)
    client.force_login(lobby_manager)
    page = client.get(reverse("queue-dashboard-part", args=[branch.code, "figures"])).content.decode()
    assert 'id="fig-arrivals">1<' in page and 'id="fig-served">1<' in page
    assert '<rect class="arrivals"' in page


def test_the_lobby_screen_announces_in_chinese_and_english(client, lobby_manager):
    client.force_login(lobby_manager)
    page = client.get(reverse("device-home-lobby_screen")).content.decode()
    assert 'data-announce-zh="请 {number} 号到 {counter} 办理"' in page
    assert 'data-announce-en="Number {number}, please go to {counter}"' in page
    assert "正在叫号" in page and "Now calling" in page


def test_the_ticket_page_links_to_the_form_while_waiting_and_the_receipt_once_served(
        client, issue, open_counter, teller):
    ticket = issue()
    url = reverse("queue-ticket", args=[ticket.public_token])
    counter_page = reverse("counter:ticket-home", args=[ticket.public_token])
    waiting = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{counter_page}" id="counter-link-form">Fill your form while you wait<' in waiting
    assert 'id="counter-link-receipt" hidden>' in waiting
    services.ticket_call_next(actor=teller, counter=open_counter)
    services.ticket_start_serving(actor=teller, ticket=ticket)
    services.ticket_finish(actor=teller, ticket=ticket)
    served = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'href="{counter_page}" id="counter-link-receipt">您的电子回单<' in served
    assert 'id="counter-link-form" hidden>' in served


def test_the_dashboard_offers_to_open_a_closed_counter_in_chinese(client, lobby_manager, counter):
    """'Open' the action (开台), not 'open' the state (营业中) that the project catalogue has."""
    client.force_login(lobby_manager)
    page = client.get(reverse("queue-dashboard"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<button type="submit">开台</button>' in page
