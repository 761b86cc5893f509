"""The design system's pages in Chromium at the sizes people use them: the landing page on a
390×844 phone and the component gallery on a 1920×1080 desk, in Chinese and English and in the
elderly and high-contrast modes: no serious accessibility violation, nothing wider than the
screen, icons drawn, disabled buttons greyed."""

import pytest

from tests.browser import DESK_HD, PHONE, axe_violations, new_page, screenshot, signed_in_page

pytestmark = pytest.mark.django_db(transaction=True)

LOCALES = {"zh-hans": "zh-CN", "en": "en-US"}


@pytest.mark.parametrize("language", LOCALES)
def test_the_landing_page_fits_a_phone(chromium, asgi_server, branch, language):
    page = new_page(chromium, asgi_server, locale=LOCALES[language], **PHONE)
    page.goto(f"{asgi_server}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator(".badge svg.icon").count() >= 1
    assert not axe_violations(page)
    screenshot(page, f"landing-phone-{language}")
    page.goto(f"{asgi_server}/no-such-page/")
    assert page.locator(".error-page .error-status svg.icon").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not axe_violations(page)
    if language == "zh-hans":
        screenshot(page, "error-404-phone")


@pytest.mark.parametrize("mode", ["", "elderly", "contrast"])
@pytest.mark.parametrize("language", LOCALES)
def test_the_gallery_shows_every_component_accessibly(chromium, asgi_server, teller, language, mode):
    page = signed_in_page(chromium, asgi_server, teller, locale=LOCALES[language], **DESK_HD)
    page.goto(f"{asgi_server}/staff/design/?mode={mode}")
    assert not axe_violations(page)
    disabled = page.locator("button:disabled").first
    enabled = page.locator("button:not(:disabled)", has_text="Primary" if language == "en" else "主要").first
    colour = "el => getComputedStyle(el).backgroundColor"
    assert disabled.evaluate(colour) != enabled.evaluate(colour)  # a disabled button looks disabled
    assert disabled.evaluate("el => getComputedStyle(el).cursor") == "not-allowed"
    page.click("[data-dialog-open=g-dialog]")
    assert page.locator("#g-dialog").is_visible()
    page.click("#g-dialog [data-dialog-close].ghost")
    assert not page.locator("#g-dialog").is_visible()
    if language == "zh-hans":
        screenshot(page, f"design-gallery{'-' + mode if mode else ''}")

