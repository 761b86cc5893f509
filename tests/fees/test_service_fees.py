"""The fee of a counter service is shown to the teller before the service (the console's current
ticket) and to the customer on the e-receipt: both include fees/_service_fees.html."""

import pytest
from django.template.loader import render_to_string

from tests.factories import make_service_type

pytestmark = pytest.mark.django_db


def test_a_service_shows_the_fees_it_charges_with_their_waivers(card_replacement):
    service = make_service_type("CARD_REPLACEMENT", category="card")
    card_replacement.service_types.add(service)
    html = render_to_string("fees/_service_fees.html", {"service_type": service})
    assert "借记卡补换卡：5.00 元/张" in html
    assert "60 岁及以上老年客户、低保及特困人员" in html


def test_a_service_without_a_fee_shows_nothing(card_replacement):
    html = render_to_string("fees/_service_fees.html", {"service_type": make_service_type("CASH_DEPOSIT")})
    assert html.strip() == ""


def test_the_counter_console_and_the_receipt_include_the_fees():
    for template in ("counter/_current.html", "counter/receipt.html"):
        source = open(f"counter/templates/{template}", encoding="utf-8").read()
        assert '{% include "fees/_service_fees.html"' in source, template
