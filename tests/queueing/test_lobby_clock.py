"""The lobby screen's clock is the branch's time from the server, not the device's clock."""

import time_machine

from tests.browser import device_page, off_the_browser_thread
from tests.factories import make_device


def test_a_lobby_screen_in_another_zone_with_a_wrong_clock_shows_branch_time(
        chromium, asgi_server, branch):
    # The server says 14:05 in Beijing; the screen's own clock is the machine's, set to UTC.
    with time_machine.travel("2026-12-07 14:05:00+08:00", tick=True):
        _, token = off_the_browser_thread(make_device, branch=branch, kind="lobby_screen")
        lobby = device_page(chromium, asgi_server, token, timezone_id="UTC",
                            viewport={"width": 1920, "height": 1080})
        lobby.goto(f"{asgi_server}/queue/lobby/")
        lobby.wait_for_function("document.getElementById('lobby-clock').textContent !== ''")
        assert lobby.locator("#lobby-clock").inner_text() in ("14:05", "14:06")
        # The kiosk's ticket slip formats its issue time the same way, in Beijing time.
        slip = lobby.evaluate("branchClock.dateTime(new Date('2026-12-07T06:05:00Z'))")
        assert slip.replace(" ", "") == "2026年12月7日星期一14:05"
