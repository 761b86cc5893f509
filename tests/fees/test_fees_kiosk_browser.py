"""A customer at the kiosk looks up a fee: the kiosk's bar opens the published fee catalogue at
kiosk size, and its back button returns to the kiosk."""

import pytest

from tests.browser import KIOSK_SCREEN, device_page, screenshot
from tests.factories import make_device

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_fee_catalogue_opens_from_the_kiosk_and_leads_back(chromium, asgi_server, branch, cross_bank):
    _, token = make_device(branch, "kiosk")
    page = device_page(chromium, asgi_server, token, **KIOSK_SCREEN)
    page.wait_for_selector("body[data-ready='1']")
    page.click("[data-testid=kiosk-fees]")
    page.wait_for_selector("[data-testid=fees-back-to-kiosk]")
    assert cross_bank.name_zh_hans in page.inner_text("main")
    screenshot(page, "kiosk-fees")
    page.click("[data-testid=fees-back-to-kiosk]")
    page.wait_for_selector("body[data-ready='1']")
    assert page.url.endswith("/kiosk/")
