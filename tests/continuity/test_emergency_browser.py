"""An emergency plan in Chromium: the lobby manager activates it, the lobby screen switches to the
message, the checklist is ticked off, closing clears the screen and gives the report."""

import pytest
import time_machine

from continuity.models import Incident
from tests.browser import DESK, LOBBY_SCREEN, device_page, screenshot, signed_in_page
from tests.factories import make_device
from tests.kiosk.conftest import OPEN_MORNING

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_branch_clock():
    with time_machine.travel(OPEN_MORNING, tick=True) as traveller:
        yield traveller


def test_the_lobby_manager_runs_a_fire_plan_from_activation_to_report(
    chromium, asgi_server, branch, lobby_manager, open_branch_clock, playbooks
):
    _, token = make_device(branch, "lobby_screen")
    lobby = device_page(chromium, asgi_server, token, **LOBBY_SCREEN)
    lobby.goto(f"{asgi_server}/queue/lobby/")
    assert lobby.locator("[data-testid=emergency-overlay]").is_hidden()

    desk = signed_in_page(chromium, asgi_server, lobby_manager, **DESK)
    desk.goto(f"{asgi_server}/continuity/incidents/")
    desk.click("[data-testid=activate-fire]")
    desk.wait_for_selector("[data-testid=incident-active]")

    overlay = lobby.wait_for_selector("[data-testid=emergency-overlay]:not([hidden])")
    assert "火警" in overlay.inner_text() and "Fire alarm" in overlay.inner_text()
    screenshot(lobby, "emergency-lobby")

    desk.fill("[data-testid=incident-step] input[name=note] >> nth=0", "已报警")
    desk.click("[data-testid=incident-step] button >> nth=0")
    desk.wait_for_selector("[data-testid=incident-step].done")
    from branches.people import person_name

    assert person_name(lobby_manager) in desk.inner_text("[data-testid=incident-step].done")
    screenshot(desk, "emergency-checklist")

    desk.fill("textarea[name=summary]", "演练：全员5分钟内撤离完毕")
    desk.click("[data-testid=incident-close] button")
    desk.wait_for_selector("[data-testid=incident-report]")
    assert desk.locator("[data-testid=incident-pdf]").is_visible()
    lobby.wait_for_selector("[data-testid=emergency-overlay]", state="hidden")
    assert Incident.objects.get().status == "closed"
    screenshot(desk, "emergency-report")
