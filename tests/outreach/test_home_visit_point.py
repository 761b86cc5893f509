"""The counter home visits are recorded through (HOME) is no counter of the lobby: the lobby
manager's dashboard does not show it as a closed counter, tellers are not offered it."""

from django.urls import reverse

from outreach.services.recording import home_visit_point
from tests.factories import make_counter


def test_the_dashboard_leaves_the_home_visit_point_out_of_the_counters(client, branch, lobby_manager):
    make_counter(branch, "01")
    home_visit_point(actor=lobby_manager, branch=branch)
    client.force_login(lobby_manager)
    part = client.get(reverse("queue-dashboard-part", args=[branch.code, "counters"])).content.decode()
    assert 'data-counter="01"' in part and 'data-counter="HOME"' not in part
    assert "上门服务" not in part
    page = client.get(reverse("queue-dashboard")).content.decode()
    assert 'data-counter="01"' in page and 'data-counter="HOME"' not in page


def test_a_teller_is_not_offered_the_home_visit_point(client, branch, teller, lobby_manager):
    make_counter(branch, "01")
    home_visit_point(actor=lobby_manager, branch=branch)
    client.force_login(teller)
    choices = client.get(reverse("counter:console-home")).content.decode()
    assert 'data-testid="open-01"' in choices and 'data-testid="open-HOME"' not in choices
