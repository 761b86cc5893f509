"""The lobby screen at 1920×1080 as the lobby sees it from across the room: the called number and
counter, the waits per zone, the notices ticker, never a customer's name, and a visible
"语音已关闭 · Voice off" when nothing can speak the calls (no browser voice, no espeak-ng)."""

import pytest
import time_machine

from queueing import services
from tests.browser import LOBBY_SCREEN, device_page, off_the_browser_thread, screenshot
from tests.conftest import wait_for_js
from tests.factories import make_customer, make_device
from tests.queueing.conftest import OPEN_MORNING

pytestmark = pytest.mark.django_db(transaction=True)

FULL_HD = LOBBY_SCREEN["viewport"]
NO_VOICES = ("window.speechSynthesis && Object.defineProperty(window.speechSynthesis, 'getVoices', "
             "{value: function () { return []; }});")


def lobby_screen(browser, server, branch):
    _, token = off_the_browser_thread(make_device, branch=branch, kind="lobby_screen")
    page = device_page(browser, server, token, **LOBBY_SCREEN)
    page.context.add_init_script(NO_VOICES)  # Debian's Chromium in kiosk mode has no voice
    page.goto(f"{server}/queue/lobby/")
    page.wait_for_selector("#lobby[data-last-event]")
    return page


def test_without_any_voice_the_screen_says_voice_off_in_both_languages(
        chromium, asgi_server, branch, settings):
    settings.ESPEAK_BINARY = "/nonexistent/espeak-ng"
    page = lobby_screen(chromium, asgi_server, branch)
    off = page.locator("[data-testid=voice-state] .voice-off")
    assert off.is_visible()
    assert off.inner_text() == "语音已关闭 · Voice off"
    assert page.locator("[data-testid=voice-state]").get_attribute("data-voice") == "off"
    box = off.bounding_box()
    assert box["height"] >= 0.035 * FULL_HD["height"]  # readable from 5 m, not a footnote
    assert box["y"] + box["height"] <= FULL_HD["height"]


def test_the_screen_turns_to_voice_off_when_the_server_cannot_render_a_call(
        chromium, asgi_server, branch, settings, deposit, counter, teller):
    settings.ESPEAK_BINARY = "/bin/true"  # found, but renders nothing: the recording answers 503
    with time_machine.travel(OPEN_MORNING, tick=True):
        off_the_browser_thread(services.counter_open, actor=teller, counter=counter)
        page = lobby_screen(chromium, asgi_server, branch)
        assert page.locator("[data-testid=voice-state] .voice-on").is_visible()
        off_the_browser_thread(services.ticket_issue, issue=services.IssueRequest(
            branch=branch, service_type=deposit, source="kiosk"))
        off_the_browser_thread(services.ticket_call_next, actor=teller, counter=counter)
        page.wait_for_selector("[data-testid=voice-state][data-voice=off] .voice-off:visible")


def test_a_call_shows_number_and_counter_large_and_never_the_customers_name(
        chromium, asgi_server, branch, settings, deposit, counter, teller):
    settings.ESPEAK_BINARY = "/nonexistent/espeak-ng"
    with time_machine.travel(OPEN_MORNING, tick=True):
        off_the_browser_thread(services.counter_open, actor=teller, counter=counter)
        customer = off_the_browser_thread(make_customer, name="欧阳娜娜", phone="13912345678")
        off_the_browser_thread(services.ticket_issue, issue=services.IssueRequest(
            branch=branch, service_type=deposit, source="kiosk",
            customer=customer))
        page = lobby_screen(chromium, asgi_server, branch)
        off_the_browser_thread(services.ticket_call_next, actor=teller, counter=counter)
        wait_for_js(page, "document.getElementById('now-number').textContent === 'A001'")
        page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished)).then(() => true)")
        number = page.locator("#now-number").bounding_box()
        assert number["height"] >= 0.25 * FULL_HD["height"]
        text = page.inner_text("body")
        assert "欧阳" not in text and "13912345678" not in text
        assert page.locator("[data-testid=ticker] li:visible").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= FULL_HD["width"]
        screenshot(page, "lobby-1920x1080")
