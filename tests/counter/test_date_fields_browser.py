"""A date the teller enters on the console reads in the console's language, whatever the PC's.

Chromium draws a date picker in the PC's own order (mm/dd/yyyy on an English PC): on a Chinese
console the teller is told that order in Chinese, and the date keyed in is spelled out beside the
picker in Chinese, so 03/04 cannot pass for 4 March when it is 3 March."""

import re

import pytest

from counter.models import PrefilledForm
from tests.browser import PHONE, axe_violations, date_note, screenshot, signed_in_page

pytestmark = pytest.mark.django_db(transaction=True)

FULL_HD = {"viewport": {"width": 1920, "height": 1080}}


def _serving(desk, server, point, ticket, language):
    desk.context.add_cookies([{"name": "django_language", "value": language, "url": server}])
    desk.goto(f"{server}/counter/console/")
    desk.click(f"[data-testid=open-{point.code}]")
    desk.wait_for_url(re.compile(r"/counter/console/\d+/$"))
    desk.wait_for_selector(f"[data-ticket={ticket.number}]")
    desk.keyboard.press("n")
    desk.wait_for_selector(f"[data-testid=current-ticket]:has-text('{ticket.number}')")
    desk.keyboard.press("s")
    desk.wait_for_selector("#fix-id_expiry + .date-echo")


@pytest.mark.parametrize("size", ["desk", "phone"])
def test_an_english_pc_shows_the_chinese_console_its_dates_in_chinese(
    chromium, asgi_server, clock, point, ticket, prefilled, teller, size
):
    desk = signed_in_page(chromium, asgi_server, teller, locale="en-US",
                          **(FULL_HD if size == "desk" else PHONE))
    _serving(desk, asgi_server, point, ticket, "zh-hans")
    field = desk.locator("#fix-id_expiry")
    # The picker shows mm/dd/yyyy: the teller is told so in Chinese.
    assert date_note(field) == "本机的日期顺序：月 / 日 / 年"

    field.focus()
    desk.keyboard.type("03042031")  # as the English picker reads it: March 4th
    assert field.input_value() == "2031-03-04"
    assert date_note(field) == "2031年3月4日 星期二"
    assert desk.locator("#fix-id_expiry + .date-echo").is_visible()
    assert not axe_violations(desk)
    assert desk.evaluate("document.documentElement.scrollWidth") <= desk.viewport_size["width"]
    if size == "desk":
        assert desk.evaluate("document.scrollingElement.scrollHeight <= window.innerHeight")
    screenshot(desk, f"date-console-{size}-zh-on-en-pc")

    desk.click("tr[data-field=id_expiry] button[name=correct]")
    desk.wait_for_selector("[data-testid=verified-id_expiry]")
    assert PrefilledForm.objects.get(pk=prefilled.pk).values["id_expiry"] == "2031-03-04"


def test_a_chinese_pc_shows_the_english_console_its_dates_in_english(
    chromium, asgi_server, clock, point, ticket, prefilled, teller
):
    desk = signed_in_page(chromium, asgi_server, teller, locale="zh-CN", **FULL_HD)
    _serving(desk, asgi_server, point, ticket, "en")
    field = desk.locator("#fix-id_expiry")
    assert date_note(field) == "Date order on this computer: year / month / day"
    field.fill("2031-03-04")
    assert date_note(field) == "Tuesday, 4 March 2031"
    assert not axe_violations(desk)
    screenshot(desk, "date-console-desk-en-on-zh-pc")
