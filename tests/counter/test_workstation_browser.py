"""The teller's workstation in Chromium at 1920×1080: a whole visit — call, park, call back,
start, check every pre-filled field, finish — is done from the keyboard without the page ever
scrolling; disabled buttons are disabled and look it; a live event redraws the panes without
losing what the teller typed; axe-core finds nothing serious. The lobby manager's dashboard fits
the same screen."""

import re

import pytest

from core.live import groups, send_now
from tests.browser import axe_violations, off_the_browser_thread, screenshot, signed_in_page
from tests.counter.test_counter_browser import sign

FULL_HD = {"viewport": {"width": 1920, "height": 1080}}
LAPTOP = {"viewport": {"width": 1440, "height": 900}}
PAGE_SCROLLS = "document.scrollingElement.scrollHeight > window.innerHeight"


def _assert_fits(page, moment):
    assert not page.evaluate(PAGE_SCROLLS), (
        f"{moment}: the page is {page.evaluate('document.scrollingElement.scrollHeight')} px high")


def _background(page, selector):
    return page.eval_on_selector(selector, "el => getComputedStyle(el).backgroundColor")


@pytest.mark.django_db(transaction=True)
def test_a_whole_visit_fits_one_screen_and_runs_from_the_keyboard(
    chromium, asgi_server, clock, point, ticket, prefilled, teller
):
    url = asgi_server
    desk = signed_in_page(chromium, url, teller, **FULL_HD)
    desk.goto(f"{url}/counter/console/")
    desk.click(f"[data-testid=open-{point.code}]")
    desk.wait_for_url(re.compile(r"/counter/console/\d+/$"))
    desk.wait_for_selector("body[data-live=live]")
    desk.wait_for_selector(f"[data-ticket={ticket.number}]")  # the queue pane has loaded
    _assert_fits(desk, "counter open")
    assert desk.is_disabled("[data-testid=start]") and desk.is_enabled("[data-testid=call-next]")
    assert _background(desk, "[data-testid=start]") != _background(desk, "[data-testid=call-next]")

    desk.keyboard.press("n")
    desk.wait_for_selector(f"[data-testid=current-ticket]:has-text('{ticket.number}')")
    assert desk.is_disabled("[data-testid=call-next]")
    desk.keyboard.press("p")
    desk.wait_for_selector(f"[data-parked={ticket.number}]")
    # The queue pane may show the parked ticket before the park's answer empties the visit pane:
    # until then the old "called" pane is on screen, and a key meets a pane about to be replaced.
    desk.wait_for_selector("[data-testid=current-ticket]", state="detached")
    desk.keyboard.press("b")
    desk.wait_for_selector(f"[data-testid=current-ticket]:has-text('{ticket.number}')")
    desk.wait_for_selector("[data-testid=start]:not([disabled])")
    desk.keyboard.press("s")
    desk.wait_for_selector("[data-testid=form-verification] tr.pending")
    _assert_fits(desk, "serving, nothing checked")
    screenshot(desk, "workstation-serving-1920")

    # The teller starts a correction; the customer's phone changes something meanwhile (live).
    desk.fill("#fix-mobile", "13900001111")
    desk.eval_on_selector("[data-testid=form-verification]", "el => el.dataset.before = 'yes'")
    off_the_browser_thread(send_now, group=groups.counter(point.pk), event="form.changed", payload={})
    desk.wait_for_selector("[data-testid=form-verification]:not([data-before])")  # redrawn
    assert desk.input_value("#fix-mobile") == "13900001111"
    desk.fill("#fix-mobile", "")

    desk.keyboard.press("Escape")  # out of the field: keys are shortcuts again
    desk.keyboard.press("?")
    assert desk.is_visible("[data-testid=shortcut-help]")
    assert "F" in desk.inner_text("[data-testid=shortcut-help]")
    desk.keyboard.press("Escape")
    assert not desk.is_visible("[data-testid=shortcut-help]")

    while (left := desk.locator("tr.pending").count()):
        desk.keyboard.press("v")  # the next field to check has the focus; Enter confirms it
        desk.keyboard.press("Enter")
        desk.locator("tr.pending").nth(left - 1).wait_for(state="detached")
    assert axe_violations(desk) == []
    _assert_fits(desk, "serving, every field checked")
    screenshot(desk, "workstation-checked-1920")
    sign(desk, "#counter-pad")  # on the counter's pad, inside its pane
    desk.click("#counter-pad ~ button[type=submit]")
    desk.wait_for_selector("[data-testid=signature-received]")
    desk.keyboard.press("f")
    desk.wait_for_selector("[data-testid=no-ticket]")
    _assert_fits(desk, "visit finished")
    assert desk.is_enabled("[data-testid=call-next]")


@pytest.mark.django_db(transaction=True)
def test_on_a_laptop_screen_the_panes_still_fit(
    chromium, asgi_server, clock, point, ticket, prefilled, teller
):
    url = asgi_server
    desk = signed_in_page(chromium, url, teller, **LAPTOP)
    desk.goto(f"{url}/counter/console/")
    desk.click(f"[data-testid=open-{point.code}]")
    desk.wait_for_url(re.compile(r"/counter/console/\d+/$"))
    desk.wait_for_selector(f"[data-ticket={ticket.number}]")  # the queue pane has loaded
    desk.keyboard.press("n")
    desk.wait_for_selector("[data-testid=start]:not([disabled])")
    desk.keyboard.press("s")
    desk.wait_for_selector("[data-testid=form-verification] tr.pending")
    _assert_fits(desk, "1440×900, serving")
    screenshot(desk, "workstation-serving-1440")


@pytest.mark.django_db(transaction=True)
def test_the_lobby_dashboard_fits_one_screen(
    chromium, asgi_server, clock, branch, point, ticket, lobby_manager
):
    url = asgi_server
    page = signed_in_page(chromium, url, lobby_manager, **FULL_HD)
    page.goto(f"{url}/queue/dashboard/")
    page.wait_for_selector("body[data-live=live]")
    page.wait_for_selector(f"#part-waiting >> text={ticket.number}")
    _assert_fits(page, "dashboard")
    assert axe_violations(page) == []
    screenshot(page, "dashboard-1920")
