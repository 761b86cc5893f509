"""What the calculator answers at the edges: rounding to the fen, the minimum and maximum, waivers,
quantities — on the public page (no sign-in) and through the API."""

from decimal import Decimal

import pytest

from fees.calculator import quote
from fees.services import version_in_effect

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("amount, fee, capped", [
    ("100.00", "2.00", "minimum"),     # 0.50 is below the minimum
    ("398.00", "2.00", "minimum"),     # 1.99
    ("399.00", "2.00", ""),            # 1.995 rounds half up to 2.00: not capped
    ("400.00", "2.00", ""),            # exactly the minimum
    ("1234.50", "6.17", ""),           # 6.1725 rounds down
    ("123.30", "2.00", "minimum"),
    ("2468.90", "12.34", ""),          # 12.3445 rounds down to the fen
    ("2469.00", "12.35", ""),          # 12.345 rounds half up
    ("10000.00", "50.00", ""),         # exactly the maximum
    ("10000.99", "50.00", ""),         # 50.00495 rounds to 50.00
    ("10001.00", "50.00", "maximum"),  # 50.005 rounds to 50.01, held at the maximum
    ("1000000.00", "50.00", "maximum"),
])
def test_a_percentage_is_rounded_to_the_fen_then_held_between_minimum_and_maximum(cross_bank, amount, fee,
                                                                                  capped):
    result = quote(version_in_effect(cross_bank), amount=Decimal(amount))
    assert (result.fee, result.capped) == (Decimal(fee), capped)
    assert str(result.fee) == fee  # always two places


def test_a_waived_group_pays_nothing_and_another_group_pays(cross_bank, card_replacement):
    version = version_in_effect(cross_bank)
    assert quote(version, amount=Decimal("5000"), groups={"disabled"}).fee == 0
    assert quote(version, amount=Decimal("5000"), groups={"elderly"}).fee == Decimal("25.00")
    elderly = quote(version_in_effect(card_replacement), groups={"elderly"})
    assert (elderly.fee, elderly.waived_for) == (Decimal("0.00"), "elderly")


def test_a_fixed_price_counts_each_copy(card_replacement):
    assert quote(version_in_effect(card_replacement), quantity=3).fee == Decimal("15.00")


def test_the_public_page_calculates_without_sign_in(client, cross_bank):
    page = client.get("/fees/", {"item": "cross-bank-transfer", "amount": "10001"})
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-fee-result="50.00"' in body and "按最高收费。" in body
    assert "交易金额的0.5%，最低 2.00 元，最高 50.00 元" in body


def test_a_percentage_without_an_amount_is_refused_with_a_message(client, cross_bank):
    page = client.get("/fees/", {"item": "cross-bank-transfer"})
    assert page.status_code == 400 and "请输入交易金额。" in page.content.decode()


def test_the_quote_api(client, cross_bank, card_replacement):
    ok = client.post("/api/fees/quote/", {"item": "cross-bank-transfer", "amount": "398"},
                     content_type="application/json")
    waived = client.post("/api/fees/quote/", {"item": "card-replacement", "groups": ["low_income"]},
                         content_type="application/json")
    missing = client.post("/api/fees/quote/", {"item": "cross-bank-transfer"},
                          content_type="application/json")
    unknown = client.post("/api/fees/quote/", {"item": "gold-bar"}, content_type="application/json")

    assert ok.json() | {"text": ""} == {"item": "cross-bank-transfer", "fee": "2.00", "waived_for": "",
                                        "capped": "minimum", "text": ""}
    assert waived.json()["fee"] == "0.00" and waived.json()["waived_for"] == "low_income"
    assert missing.status_code == 400 and set(missing.json()["errors"]) == {"amount"}
    assert unknown.status_code == 404


def test_the_catalogue_api_lists_fees_in_effect(client, cross_bank, card_replacement):
    body = client.get("/api/fees/").json()
    assert [fee["code"] for fee in body] == ["card-replacement", "cross-bank-transfer"]
    assert body[0]["waivers"] == ["elderly", "low_income"] and body[0]["price"] == "5.00"
