"""The kiosk as a customer sees it on the two screens it is built for, portrait 1080×1920 and
landscape 1920×1080: the whole screen used, every target big enough for a finger (≥ 60 px,
≥ 80 px in elderly mode), nothing cut off at the sides, icons drawn as SVG (no emoji, which a
kiosk PC without an emoji font shows as empty boxes), and the flow's progress shown."""

import re

import pytest
import time_machine

from tests.browser import KIOSK_LANDSCAPE, KIOSK_SCREEN, axe_violations, device_page, screenshot
from tests.kiosk.conftest import OPEN_MORNING

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = {"portrait": KIOSK_SCREEN, "landscape": KIOSK_LANDSCAPE}
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F]")

# Every visible control: its box, and whether it lies inside the viewport.
CONTROLS = """() => Array.from(document.querySelectorAll('button, input, select, a'))
  .filter(e => e.offsetParent !== null && !e.closest('[hidden]'))
  .map(e => { const r = e.getBoundingClientRect();
              return {name: (e.innerText || e.name || e.tagName).trim().slice(0, 30),
                      width: r.width, height: r.height, left: r.left, right: r.right}; })"""


@pytest.fixture
def open_branch_clock():
    with time_machine.travel(OPEN_MORNING, tick=True) as traveller:
        yield traveller


def kiosk(browser, server, token, orientation):
    page = device_page(browser, server, token, **SCREENS[orientation])
    page.wait_for_selector("body[data-ready='1']")
    return page


def assert_fits_a_finger(page, minimum, where):
    width = page.viewport_size["width"]
    controls = page.evaluate(CONTROLS)
    assert controls, where
    small = [c for c in controls if c["height"] < minimum or c["width"] < minimum]
    assert not small, f"{where}: targets under {minimum} px: {small}"
    outside = [c for c in controls if c["left"] < 0 or c["right"] > width]
    assert not outside, f"{where}: cut off at the side: {outside}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, where


def assert_no_emoji(page, where):
    text = page.evaluate("document.body.innerText + document.body.innerHTML")
    assert not EMOJI.search(text), f"{where}: {EMOJI.findall(text)}"


@pytest.mark.parametrize("orientation", SCREENS)
def test_the_menu_fills_the_screen_with_big_targets_and_svg_icons(
        chromium, asgi_server, kiosk_device, deposit, open_branch_clock, orientation):
    page = kiosk(chromium, asgi_server, kiosk_device[1], orientation)
    height = SCREENS[orientation]["viewport"]["height"]
    assert page.inner_text(".attract-title") == "欢迎光临 · Welcome"
    assert page.inner_text(".attract-sub") == "请触摸屏幕开始 · Touch the screen to start"
    box = page.locator(".attract-button").bounding_box()
    assert box["height"] > height * 0.8  # the whole screen invites a touch
    screenshot(page, f"kiosk-{orientation}-attract")
    page.click("[data-action=start]")
    page.click("[data-action=language][data-language=zh-hans]")
    page.wait_for_selector("[data-screen=menu]:not([hidden])")

    tiles = page.locator("[data-screen=menu] .choices > button:visible")
    bottom = max(tiles.nth(i).bounding_box()["y"] + tiles.nth(i).bounding_box()["height"]
                 for i in range(tiles.count()))
    assert bottom > height * 0.85  # not a strip at the top of the screen
    assert page.locator("[data-testid=menu-ticket] svg.icon").count() == 1
    assert_fits_a_finger(page, 60, f"menu ({orientation})")
    assert_no_emoji(page, f"menu ({orientation})")
    assert not axe_violations(page)
    screenshot(page, f"kiosk-{orientation}-menu")

    page.click("[data-testid=menu-ticket]")
    page.wait_for_selector(f"[data-service={deposit.code}] svg.icon")
    progress = page.locator("[data-testid=kiosk-progress] [data-flow=services]")
    assert progress.locator("[aria-current=step]").inner_text() == "选择业务"
    assert_fits_a_finger(page, 60, f"services ({orientation})")
    assert_no_emoji(page, f"services ({orientation})")

    page.click(f"[data-service={deposit.code}]")
    page.wait_for_selector("[data-testid=route-label]")
    assert progress.locator("[aria-current=step]").inner_text() == "去哪里办理"
    assert progress.locator("li.done").count() == 1
    page.click("[data-testid=take-kiosk]")
    page.wait_for_selector("[data-testid=ticket-qr] svg")
    assert progress.locator("[aria-current=step]").inner_text() == "您的号码"
    assert_fits_a_finger(page, 60, f"ticket ({orientation})")
    screenshot(page, f"kiosk-{orientation}-ticket")


@pytest.mark.parametrize("orientation", SCREENS)
def test_elderly_mode_makes_every_target_at_least_80_pixels(
        chromium, asgi_server, kiosk_device, deposit, open_branch_clock, orientation):
    page = kiosk(chromium, asgi_server, kiosk_device[1], orientation)
    page.click("[data-action=start]")
    page.click("[data-testid=start-elderly]")
    page.click("[data-action=language][data-language=zh-hans]")
    page.wait_for_selector("body.elderly [data-screen=menu]:not([hidden])")
    assert_fits_a_finger(page, 80, f"elderly menu ({orientation})")
    assert not axe_violations(page)
    screenshot(page, f"kiosk-{orientation}-elderly")
    page.click("[data-testid=menu-ticket]")
    page.wait_for_selector(f"[data-service={deposit.code}]")
    assert_fits_a_finger(page, 80, f"elderly services ({orientation})")
    assert_no_emoji(page, f"elderly services ({orientation})")
