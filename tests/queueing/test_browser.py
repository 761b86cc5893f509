"""In Chromium: a teller's call appears on the lobby screen and on the customer's ticket page."""

import secrets

import time_machine

from tests.browser import device_page, new_page, off_the_browser_thread, signed_in_page
from tests.conftest import wait_for_js
from tests.factories import make_device
from tests.queueing.conftest import OPEN_MORNING, kiosk_ticket_at_open_counter


def test_a_tellers_call_appears_on_the_lobby_screen_and_the_ticket_page(
        chromium, asgi_server, branch, deposit, counter, teller):
    url = asgi_server
    with time_machine.travel(OPEN_MORNING, tick=True):
        ticket = kiosk_ticket_at_open_counter(branch=branch, service=deposit, counter=counter, teller=teller)
        _, token = off_the_browser_thread(make_device, branch=branch, kind="lobby_screen")

        lobby = device_page(chromium, url, token, viewport={"width": 1920, "height": 1080})
        lobby.goto(f"{url}/queue/lobby/")
        lobby.wait_for_selector("#lobby[data-last-event]")
        assert lobby.locator("#queues li[data-queue=A]").inner_text().startswith("A")

        phone = new_page(chromium, url, viewport={"width": 390, "height": 844})
        phone.goto(f"{url}/queue/t/{ticket.public_token}/")
        phone.wait_for_selector("#ticket[data-status=waiting]")

        csrf = secrets.token_hex(16)
        console = signed_in_page(chromium, url, teller)
        console.context.add_cookies([{"name": "csrftoken", "value": csrf, "url": url}])
        response = console.request.post(f"{url}/api/queue/counters/{counter.pk}/call-next/",
                                        headers={"X-CSRFToken": csrf, "Referer": url + "/"})
        assert response.status == 200, response.text()

        wait_for_js(lobby, "document.getElementById('now-number').textContent === 'A001'")
        assert "01号窗口" in lobby.locator("#now-counter").inner_text()
        phone.wait_for_selector("#ticket[data-status=called]")
        assert phone.locator("#go-to-counter").is_visible()
        assert "01" in phone.locator("#go-to-counter").inner_text()
        assert lobby.locator("#reconnecting").is_hidden()
