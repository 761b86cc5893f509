"""The offline kiosk ticket in Chromium: the server goes away while a customer is at the kiosk,
the kiosk issues a number from its reserved block marked "offline", the server comes back and
the ticket joins the queue exactly once, shown as offline-issued to the lobby manager."""

import threading
import time
from contextlib import contextmanager

import pytest
import time_machine
import uvicorn

from continuity.models import OfflineNumberBlock, OfflineTicket
from queueing.models import Ticket, TicketStatus
from tests.browser import (
    DESK,
    KIOSK_SCREEN,
    _free_port,
    asgi_application,
    device_page,
    screenshot,
    signed_in_page,
)
from tests.conftest import wait_for_js
from tests.factories import make_device, make_service_type
from tests.kiosk.conftest import OPEN_MORNING

pytestmark = pytest.mark.django_db(transaction=True)

class StoppableServer:
    """The project's ASGI app on one fixed port that the test can stop and start again (the kiosk's
    origin, and so its service worker and IndexedDB, stay the same)."""

    def __init__(self):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = self.thread = None

    def start(self):
        self.server = uvicorn.Server(uvicorn.Config(asgi_application(), host="127.0.0.1",
                                                    port=self.port, log_level="warning",
                                                    lifespan="off", ws="websockets"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:  # start-up, not test timing
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)

    def stop(self):
        self.server.should_exit = self.server.force_exit = True
        self.thread.join(timeout=15)
        assert not self.thread.is_alive(), "uvicorn did not stop"


@contextmanager
def stoppable_server():
    server = StoppableServer()
    server.start()
    try:
        yield server
    finally:
        if server.thread.is_alive():
            server.stop()


@pytest.fixture
def open_branch_clock():
    with time_machine.travel(OPEN_MORNING, tick=True) as traveller:
        yield traveller


# What the kiosk's IndexedDB holds (shown when a sync check fails).
STORED_TICKETS = """() => new Promise((resolve) => {
  indexedDB.open("kiosk-offline", 1).onsuccess = (event) => {
  event.target.result.transaction("tickets").objectStore("tickets").getAll().onsuccess =
    (e) => resolve(JSON.stringify(e.target.result)); }; })"""
# The kiosk sends its first stored offline ticket again, as after a lost reply; resolves the status.
RESEND_FIRST_STORED_TICKET = """() => new Promise((resolve) => {
          indexedDB.open("kiosk-offline", 1).onsuccess = (event) => {
            event.target.result.transaction("tickets").objectStore("tickets").getAll().onsuccess = (e) => {
              const t = e.target.result[0];
              const csrf = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
              fetch("/api/continuity/kiosk/offline-tickets/", { method: "POST", credentials: "same-origin",
                headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
                body: JSON.stringify({ key: t.key, block: t.block, sequence: t.sequence,
                                       service_type: t.service_type, issued_at: t.issued_at }) })
                .then((response) => resolve(response.status));
            };
          };
        })"""


def kept(page, **counts):
    """Wait until the kiosk's IndexedDB holds this much (the panel shows the tally as data-*)."""
    attributes = "".join(f"[data-{name.replace('_', '-')}='{value}']" for name, value in counts.items())
    return page.wait_for_selector(f"[data-offline-kiosk]{attributes}", state="attached")


def test_the_kiosk_issues_an_offline_ticket_that_joins_the_queue_once_when_the_server_is_back(
        require_service, chromium, branch, lobby_manager, settings, open_branch_clock):
    require_service("chromium")
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    make_service_type("DEPOSIT", name_zh_hans="存款", name_en="Deposit", target_minutes=5)
    _, token = make_device(branch)
    with stoppable_server() as server:
        kiosk = device_page(chromium, server.url, token, **KIOSK_SCREEN)
        kiosk.wait_for_selector("body[data-ready='1']")
        wait_for_js(kiosk, "navigator.serviceWorker.controller !== null")  # CSP: no wait_for_function
        kept(kiosk, numbers_left=20)
        block = OfflineNumberBlock.objects.get()
        assert (block.prefix, block.first, block.last) == ("A", 1, 20)

        kiosk.click("[data-action=start]")
        kiosk.click("[data-action=language][data-language=zh-hans]")
        kiosk.click("[data-testid=menu-ticket]")
        kiosk.wait_for_selector("[data-testid=service-list] button")
        server.stop()  # the server goes away while the customer chooses
        kiosk.click("[data-testid=service-list] button")

        kiosk.wait_for_selector("[data-testid=offline-kiosk]:not([hidden])")
        kiosk.click("[data-offline-service=DEPOSIT]")
        slip = kiosk.wait_for_selector("[data-testid=offline-slip]:not([hidden])")
        assert kiosk.inner_text("[data-testid=offline-number]") == "A001"
        assert "离线" in slip.inner_text() and "存款" in slip.inner_text()
        kept(kiosk, pending=1, numbers_left=19)
        assert Ticket.objects.count() == 0
        screenshot(kiosk, "continuity-kiosk-offline-ticket")

        server.start()
        kept(kiosk, pending=0)
        assert kiosk.get_attribute("[data-offline-kiosk]", "data-synced") == "1", kiosk.evaluate(
            STORED_TICKETS)
        kiosk.wait_for_selector("[data-testid=offline-kiosk]", state="hidden")
        ticket = Ticket.objects.get()
        assert (ticket.number, ticket.status) == ("A001", TicketStatus.WAITING)
        assert ticket.offline.issued_offline_at == ticket.issued_at < ticket.offline.synced_at

        # The kiosk sends the same offline ticket again (a lost reply): nothing new is made.
        replay = kiosk.evaluate(RESEND_FIRST_STORED_TICKET)
        assert replay == 200
        assert Ticket.objects.count() == 1 and OfflineTicket.objects.count() == 1

        desk = signed_in_page(chromium, server.url, lobby_manager, **DESK)
        desk.goto(f"{server.url}/queue/dashboard/?branch={branch.code}")
        row = desk.wait_for_selector("[data-offline-ticket=A001]")
        assert "离线取号" in row.inner_text()
        screenshot(desk, "continuity-dashboard-offline-ticket")
