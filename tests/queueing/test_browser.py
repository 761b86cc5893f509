"""In Chromium: a teller's call appears on the lobby screen and on the customer's ticket page."""

import os
import secrets
import socket
import threading
import time

import pytest
import time_machine
from django.test import Client

from queueing import services
from tests.conftest import wait_for_js
from tests.factories import make_device
from tests.queueing.conftest import OPEN_MORNING


@pytest.fixture
def asgi_server(transactional_db):
    """Uvicorn in a thread of this process, so it shares the test database and channel layer."""
    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    from branchsvc.asgi import application

    server = uvicorn.Server(uvicorn.Config(application, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser(require_service):
    require_service("chromium")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox"])
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _off_the_browser_thread(function, **kwargs):
    """Run a service in another thread: Playwright's event loop runs in this one, and live pushes
    (async_to_sync) refuse to run beside a running loop."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(function, **kwargs).result()


def _page_with_session(browser, url, session_key, **options):
    context = browser.new_context(**options)
    if session_key:
        context.add_cookies([{"name": "sessionid", "value": session_key, "url": url}])
    return context.new_page()


def test_a_tellers_call_appears_on_the_lobby_screen_and_the_ticket_page(
        browser, asgi_server, branch, deposit, counter, teller):
    url = asgi_server
    with time_machine.travel(OPEN_MORNING, tick=True):
        _off_the_browser_thread(services.counter_open, actor=teller, counter=counter)
        ticket = _off_the_browser_thread(services.ticket_issue, branch=branch,
                                         service_type=deposit, source="kiosk")
        _, token = _off_the_browser_thread(make_device, branch=branch, kind="lobby_screen")
        device_client = Client()
        device_client.post("/device/login/", {"token": token})

        lobby = _page_with_session(browser, url, device_client.cookies["sessionid"].value,
                                   viewport={"width": 1920, "height": 1080})
        lobby.goto(f"{url}/queue/lobby/")
        lobby.wait_for_selector("#lobby[data-last-event]")
        assert lobby.locator("#queues li[data-queue=A]").inner_text().startswith("A")

        phone = _page_with_session(browser, url, None, viewport={"width": 390, "height": 844})
        phone.goto(f"{url}/queue/t/{ticket.public_token}/")
        phone.wait_for_selector("#ticket[data-status=waiting]")

        teller_client = Client()
        teller_client.force_login(teller)
        csrf = secrets.token_hex(16)
        console = _page_with_session(browser, url, teller_client.cookies["sessionid"].value)
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
