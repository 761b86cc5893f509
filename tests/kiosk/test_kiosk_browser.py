"""The kiosk in Chromium with fake camera and microphone, against a real ASGI server (HTTP and
websockets): a ticket with its QR, elderly mode, the idle timeout, and a VTM video call."""

import pytest
import time_machine

from kiosk.models import EndReason, KioskSession, VtmSession
from queueing.models import Ticket
from tests.browser import DESK, KIOSK_SCREEN, device_page, signed_in_page
from tests.kiosk.conftest import OPEN_MORNING

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_branch_clock():
    with time_machine.travel(OPEN_MORNING, tick=True) as traveller:
        yield traveller


def kiosk_page(browser, server, token):
    page = device_page(browser, server, token, **KIOSK_SCREEN)
    page.wait_for_selector("body[data-ready='1']")
    return page


def staff_page(browser, server, user):
    return signed_in_page(browser, server, user, **DESK)


def begin(page):
    page.click("[data-action=start]")
    page.click("[data-action=language][data-language=zh-hans]")
    page.wait_for_selector("[data-screen=menu]:not([hidden])")


def test_a_ticket_is_taken_and_shown_with_its_qr_code(chromium, asgi_server, kiosk_device, deposit,
                                                      open_branch_clock):
    page = kiosk_page(chromium, asgi_server, kiosk_device[1])
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


def test_a_screens_prompt_is_read_out_but_shown_once(chromium, asgi_server, kiosk_device,
                                                     open_branch_clock):
    page = kiosk_page(chromium, asgi_server, kiosk_device[1])
    begin(page)
    notice = page.locator(".kiosk-notice")
    assert notice.inner_text() == "请问您要办理什么？"  # the live region reads it out
    assert notice.bounding_box()["height"] <= 1  # not shown again under the heading
    assert page.inner_text("[data-action=finish]") == "结束"  # ends the session (not the teller's 办结)
    # A message that is not a prompt is shown: a wrong booking code.
    page.click("[data-testid=menu-checkin]")
    page.fill("#checkin-code", "ZZZZ-ZZZZZ")
    page.click("[data-testid=checkin-form] button[type=submit]")
    error = page.wait_for_selector("[data-error-for=code]:not(:empty)")
    page.wait_for_selector(".kiosk-notice:not(.quiet)")
    assert notice.inner_text() == error.inner_text()
    assert notice.bounding_box()["height"] > 10


def test_elderly_mode_enlarges_the_text_with_one_tap(chromium, asgi_server, kiosk_device, deposit,
                                                     open_branch_clock):
    page = kiosk_page(chromium, asgi_server, kiosk_device[1])
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


def test_the_idle_timeout_clears_the_form_and_the_session(chromium, asgi_server, settings, kiosk_device,
                                                          account_open, open_branch_clock):
    settings.KIOSK_IDLE_SECONDS = 3
    page = kiosk_page(chromium, asgi_server, kiosk_device[1])
    begin(page)
    page.click("[data-testid=menu-forms]")
    page.click(f"[data-service={account_open.code}]")
    page.fill("#field-full_name", "张三丰")
    page.wait_for_selector("[data-testid=attract]:not([hidden])")
    page.wait_for_selector("body[data-cleared=idle]")
    assert page.locator("#field-full_name").count() == 0
    assert "张三丰" not in page.content()
    session = KioskSession.objects.get()
    assert session.end_reason == EndReason.IDLE
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert page.is_visible("[data-testid=attract]")


def test_a_vtm_call_connects_and_the_tellers_confirmation_appears_on_the_kiosk(
        chromium, asgi_server, vtm_device, account_open, remote_teller, open_branch_clock):
    kiosk = kiosk_page(chromium, asgi_server, vtm_device[1])
    begin(kiosk)
    kiosk.click("[data-testid=menu-remote]")
    kiosk.click(f"[data-service={account_open.code}]")
    kiosk.wait_for_selector("[data-screen=call]:not([hidden])")

    teller = staff_page(chromium, asgi_server, remote_teller)
    teller.goto(f"{asgi_server}/kiosk/remote-teller/")
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
        chromium, asgi_server, settings, kiosk_device, open_branch_clock):
    settings.KIOSK_HEARTBEAT_SECONDS = 1
    page = kiosk_page(chromium, asgi_server, kiosk_device[1])
    page.route("**/api/kiosk/**", lambda route: route.abort("connectionrefused"))
    page.wait_for_selector("[data-testid=offline]:not([hidden])")
    assert "无法连接" in page.inner_text("[data-testid=offline]") or "cannot reach" in page.inner_text(
        "[data-testid=offline]")
    page.unroute("**/api/kiosk/**")
    page.wait_for_selector("[data-testid=offline]", state="hidden")


def test_a_revoked_kiosk_stops_at_once(chromium, asgi_server, kiosk_device, branch, branch_admin,
                                       open_branch_clock):
    page = kiosk_page(chromium, asgi_server, kiosk_device[1])
    begin(page)
    page.wait_for_selector("body[data-kiosk-screen=menu]")
    admin = staff_page(chromium, asgi_server, branch_admin)
    admin.goto(f"{asgi_server}/branches/{branch.code}/devices/")
    admin.click(f"form[action$='/devices/{kiosk_device[0].pk}/revoke/'] button")
    admin.wait_for_selector(".messages")
    page.wait_for_selector("body[data-revoked='1']")
    assert not page.is_visible("[data-screen=menu]")


def test_a_vip_who_asks_to_be_recognised_is_greeted_by_name(
        require_service, chromium_filming, asgi_server, kiosk_device, branch, tmp_path,
        open_branch_clock):
    require_service("faces")
    from customers.face import gallery
    from customers.models import Customer
    from tests.customers.face.conftest import enrol
    from tests.customers.face.test_camera_browser import fake_camera_video
    from tests.factories import make_customer, resident_id

    gallery.forget_cached_galleries()
    vip = make_customer(branch=branch, name="王建国", vip_tier=Customer.VipTier.GOLD,
                        id_number=resident_id(serial=123), preferred_language="en")
    enrol(vip, branch, "obama.jpg")
    video = tmp_path / "kiosk.y4m"
    fake_camera_video(video, "obama2.jpg")  # another photo of the same person, turning and nodding
    page = kiosk_page(chromium_filming(video), asgi_server, kiosk_device[1])
    begin(page)
    page.click("[data-screen=menu] [data-go=face]")
    # Bursts of frames go to the server until the greeting comes back over the device socket.
    page.wait_for_selector(".face-status:has-text('Welcome, Mr 王')")
    assert "建国" not in page.inner_text("body")  # the greeting never shows the full name
