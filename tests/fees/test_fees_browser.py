"""On a phone, without signing in: the customer looks up the fee of a cross-bank transfer before
going to the counter, and a waiver for their group. No serious or critical accessibility
violation, in Chinese and English."""

import pytest

from tests.browser import PHONE, axe_violations, new_page, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_customer_calculates_a_transfer_fee_on_the_phone(chromium, asgi_server, cross_bank,  # noqa: F811
                                                           card_replacement):
    page = new_page(chromium, asgi_server, **PHONE)
    page.goto(f"{asgi_server}/fees/")
    page.select_option("select[name=item]", "cross-bank-transfer")
    page.fill("input[name=amount]", "10001")
    page.click("#calculator button[type=submit]")
    assert page.get_attribute(".fee-result", "data-fee-result") == "50.00"
    assert "按最高收费。" in page.inner_text(".fee-result")
    screenshot(page, "fees-phone")
    assert axe_violations(page) == []

    page.select_option("select[name=item]", "card-replacement")
    page.check("input[name=groups][value=elderly]")
    page.click("#calculator button[type=submit]")
    assert page.get_attribute(".fee-result", "data-fee-result") == "0.00"
    assert "您可享受减免。" in page.inner_text(".fee-result")


def test_the_catalogue_reads_in_english(chromium, asgi_server, cross_bank):  # noqa: F811
    page = new_page(chromium, asgi_server, locale="en-US", **PHONE)
    page.goto(f"{asgi_server}/fees/")
    row = page.inner_text("[data-fee=cross-bank-transfer]")
    assert "0.5% of the amount, at least 2.00 yuan, at most 50.00 yuan" in row
    assert "Customers with disabilities" in row
    assert axe_violations(page) == []
