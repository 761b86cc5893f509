"""The kiosk in Chromium with fake camera and microphone, against a real ASGI server (HTTP and
websockets): a ticket with its QR, elderly mode, the idle timeout, and a VTM video call."""

import os
import socket
import threading
import time

import pytest
import time_machine
from django.test import Client

from kiosk.models import EndReason, KioskSession, VtmSession
from queueing.models import Ticket
from tests.kiosk.conftest import OPEN_MORNING, asgi_application

pytestmark = pytest.mark.django_db(transaction=True)

KIOSK_SCREEN = {"viewport": {"width": 1080, "height": 1600}, "has_touch": True}
WAIT = 15_000  # ms: generous for a shared 2-core machine; every wait ends on a DOM state


@pytest.fixture
def server(settings):
    """Uvicorn serving the project's ASGI app on a free port (pytest-django's live_server is WSGI
    only: no websockets)."""
    import uvicorn

    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(asgi_application(), host="127.0.0.1", port=port, log_level="warning",
                            lifespan="off", ws="websockets")
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uvicorn_server.started:  # start-up, not test timing
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uvicorn_server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def open_branch_clock():
    with time_machine.travel(OPEN_MORNING, tick=True) as traveller:
        yield traveller


@pytest.fixture
def browser(require_service):
    require_service("chromium")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", "--no-sandbox"])
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def kiosk_page(browser, server, token):
    context = browser.new_context(**KIOSK_SCREEN)
    context.grant_permissions(["camera", "microphone"], origin=server)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    page.goto(f"{server}/device/login/")
    page.fill("input[name=token]", token)
    page.click("main button[type=submit]")
    page.wait_for_selector("body[data-ready='1']")
    return page


def staff_page(browser, server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.grant_permissions(["camera", "microphone"], origin=server)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server}])
    page = context.new_page()
    page.set_default_timeout(WAIT)
    return page


def begin(page):
    page.click("[data-action=start]")
    page.click("[data-action=language][data-language=zh-hans]")
    page.wait_for_selector("[data-screen=menu]:not([hidden])")


def test_a_ticket_is_taken_and_shown_with_its_qr_code(browser, server, kiosk_device, deposit,
                                                      open_branch_clock):
    page = kiosk_page(browser, server, kiosk_device[1])
    begin(page)
    page.click("[data-testid=menu-ticket]")
    page.fill("[data-testid=service-search]", "现金")
    page.click(f"[data-service={deposit.code}]")
    page.wait_for_selector("[data-testid=route-label]")
    page.click("[data-testid=take-kiosk]")
    page.wait_for_selector("[data-testid=ticket-qr] svg")
    ticket = Ticket.objects.get()
    assert page.inner_text("[data-testid=ticket-number]") == ticket.number
    assert page.locator("[data-testid=ticket-qr] svg path").count() >= 1


def test_elderly_mode_enlarges_the_text_with_one_tap(browser, server, kiosk_device, deposit,
                                                     open_branch_clock):
    page = kiosk_page(browser, server, kiosk_device[1])
    begin(page)

    def font_px():
        script = "getComputedStyle(document.querySelector('[data-testid=menu-ticket]')).fontSize"
        return float(page.evaluate(script).removesuffix("px"))

    before = font_px()
    page.click("[data-testid=elderly-toggle]")
    page.wait_for_selector("body.elderly")
    assert font_px() >= before * 1.4
    assert page.get_attribute("[data-testid=elderly-toggle]", "aria-pressed") == "true"
    # Fewer choices per screen: the six menu choices are paged.
    assert page.locator("[data-screen=menu] .choices > button:visible:not([data-pager])").count() <= 3


def test_the_idle_timeout_clears_the_form_and_the_session(browser, server, settings, kiosk_device,
                                                          account_open, open_branch_clock):
    settings.KIOSK_IDLE_SECONDS = 3
    page = kiosk_page(browser, server, kiosk_device[1])
    begin(page)
    page.click("[data-testid=menu-forms]")
    page.click(f"[data-service={account_open.code}]")
    page.fill("#field-full_name", "张三丰")
    page.wait_for_selector("[data-testid=attract]:not([hidden])", timeout=WAIT)
    page.wait_for_selector("body[data-cleared=idle]")
    assert page.locator("#field-full_name").count() == 0
    assert "张三丰" not in page.content()
    session = KioskSession.objects.get()
    assert session.end_reason == EndReason.IDLE
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert page.is_visible("[data-testid=attract]")


def test_a_vtm_call_connects_and_the_tellers_confirmation_appears_on_the_kiosk(
        browser, server, vtm_device, account_open, remote_teller, open_branch_clock):
    kiosk = kiosk_page(browser, server, vtm_device[1])
    begin(kiosk)
    kiosk.click("[data-testid=menu-remote]")
    kiosk.click(f"[data-service={account_open.code}]")
    kiosk.wait_for_selector("[data-screen=call]:not([hidden])")

    teller = staff_page(browser, server, remote_teller)
    teller.goto(f"{server}/kiosk/remote-teller/")
    call = VtmSession.objects.get()
    teller.click(f"[data-accept='{call.public_id}']")
    teller.wait_for_url(f"**/kiosk/remote-teller/{call.public_id}/")
    teller.wait_for_selector("body[data-call-state=connected]")
    kiosk.wait_for_selector("body[data-call-state=connected]")
    kiosk.wait_for_selector("[data-testid=kiosk-remote-video][data-playing='1']")
    teller.wait_for_selector("[data-testid=teller-remote-video][data-playing='1']")

    teller.fill("#confirm-title", "开户确认")
    teller.fill("#confirm-text", "确认为本人开立借记卡账户")
    teller.click(".confirm-form button[type=submit]")
    kiosk.wait_for_selector("[data-testid=kiosk-confirmation]:not([hidden])")
    assert "确认为本人开立借记卡账户" in kiosk.inner_text("[data-testid=kiosk-confirmation]")
    kiosk.click("[data-testid=confirm-yes]")
    teller.wait_for_selector("[data-testid=confirm-answer][data-status=confirmed]")


def test_an_unreachable_server_is_said_plainly_and_the_kiosk_recovers_by_itself(
        browser, server, settings, kiosk_device, open_branch_clock):
    settings.KIOSK_HEARTBEAT_SECONDS = 1
    page = kiosk_page(browser, server, kiosk_device[1])
    page.route("**/api/kiosk/**", lambda route: route.abort("connectionrefused"))
    page.wait_for_selector("[data-testid=offline]:not([hidden])")
    assert "无法连接" in page.inner_text("[data-testid=offline]") or "cannot reach" in page.inner_text(
        "[data-testid=offline]")
    page.unroute("**/api/kiosk/**")
    page.wait_for_selector("[data-testid=offline]", state="hidden")


def test_a_revoked_kiosk_stops_at_once(browser, server, kiosk_device, branch, branch_admin,
                                       open_branch_clock):
    page = kiosk_page(browser, server, kiosk_device[1])
    begin(page)
    page.wait_for_selector("body[data-kiosk-screen=menu]")
    admin = staff_page(browser, server, branch_admin)
    admin.goto(f"{server}/branches/{branch.code}/devices/")
    admin.click(f"form[action$='/devices/{kiosk_device[0].pk}/revoke/'] button")
    admin.wait_for_selector(".messages")
    page.wait_for_selector("body[data-revoked='1']")
    assert not page.is_visible("[data-screen=menu]")
