"""The rates in Chromium: the lobby screen's ticker reads a rate at 5 m on a 1920×1080 panel (Chinese
and English, nothing cut off), and the branch admin's rates page, with the flash message a publish
leaves, has no serious accessibility violation in zh and en."""

import pytest

from fees.rates import rate_publish
from tests.browser import (
    DESK_HD,
    LOBBY_SCREEN,
    device_page,
    off_the_browser_thread,
    screenshot,
    signed_in_page,
)
from tests.browser import axe_violations as axe
from tests.factories import make_device

pytestmark = pytest.mark.django_db(transaction=True)

RATES = [
    {"kind": "deposit", "code": "deposit-1y", "name_zh_hans": "一年期定期存款",
     "name_en": "1-year time deposit", "rate": "0.95"},
    {"kind": "loan", "code": "lpr-5y", "name_zh_hans": "五年期以上贷款市场报价利率",
     "name_en": "5-year+ loan prime rate", "rate": "3.50"},
    {"kind": "exchange", "code": "usd", "name_zh_hans": "美元", "name_en": "US dollar", "rate": "710.52",
     "selling": "713.52"},
]
SHOW = """code => { document.querySelectorAll('.ticker-items li').forEach(li => {
  li.hidden = li.dataset.rate !== code; }); }"""  # the ticker's turn, without waiting 8 s per item


def publish_rates():
    from django.utils import timezone

    for values in RATES:
        rate_publish(actor=None, branch=None, seeding=True,
                     values={**values, "effective_from": timezone.localdate()})


def test_the_lobby_ticker_shows_each_rate_whole_and_large(chromium, asgi_server, branch):
    off_the_browser_thread(publish_rates)
    _, token = off_the_browser_thread(make_device, branch=branch, kind="lobby_screen")
    page = device_page(chromium, asgi_server, token, **LOBBY_SCREEN)
    page.goto(f"{asgi_server}/queue/lobby/")
    height = LOBBY_SCREEN["viewport"]["height"]
    assert page.locator("[data-testid=ticker] li.rate").count() == 3
    for code in ("deposit-1y", "lpr-5y", "usd"):
        page.evaluate(SHOW, code)
        item = page.locator(f"[data-testid=ticker] li[data-rate='{code}']")
        assert item.is_visible()
        zh = item.locator(".ticker-text > span[lang=zh-Hans]")
        assert zh.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") >= round(0.035 * height, 1)
        # Chinese and English whole (not cut by the ticker's ellipsis), inside the panel
        assert item.locator(".ticker-text > span").evaluate_all(
            "spans => spans.every(s => s.scrollWidth <= s.clientWidth && "
            "s.getBoundingClientRect().right <= window.innerWidth)")
    assert "美元：现汇买入价 710.52，卖出价 713.52" in item.inner_text()
    assert "US dollar: buying 710.52, selling 713.52 yuan per 100" in item.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= LOBBY_SCREEN["viewport"]["width"]
    screenshot(page, "lobby-rates-1920x1080")


@pytest.mark.parametrize(("language", "locale", "published"), [("zh-hans", "zh-CN", "已发布"),
                                                               ("en", "en-US", "Published")])
def test_the_rates_page_with_its_flash_message_is_accessible(chromium, asgi_server, branch, branch_admin,
                                                             language, locale, published):
    page = signed_in_page(chromium, asgi_server, branch_admin, locale=locale, **DESK_HD)
    page.goto(f"{asgi_server}/fees/rates/")
    page.select_option("#id_kind", "exchange")
    page.fill("#id_code", "usd")
    page.fill("#id_name_zh_hans", "美元")
    page.fill("#id_name_en", "US dollar")
    page.fill("#id_rate", "710.52")
    page.fill("#id_selling", "713.52")
    page.fill("#id_effective_from", page.evaluate("document.body.dataset.serverTime.slice(0, 10)"))
    page.click("main button[type=submit]")
    message = page.locator("[role=status] .messages li.success")
    assert published in message.inner_text()
    assert page.locator("[data-testid=rates-current] tbody tr").count() == 1
    assert not axe(page)
    if language == "zh-hans":
        screenshot(page, "rates-branch-admin")
