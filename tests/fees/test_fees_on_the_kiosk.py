"""The fee catalogue on the kiosk: the kiosk's bar opens it, and on a kiosk the page leads back to
the kiosk (a button, and by itself after two minutes untouched)."""

import pytest

from tests.factories import make_device

pytestmark = pytest.mark.django_db


def test_the_kiosk_opens_the_fees_and_the_fees_lead_back(client, branch):
    _, token = make_device(branch, "kiosk")
    client.post("/device/login/", {"token": token})
    kiosk = client.get("/kiosk/").content.decode()
    assert 'data-testid="kiosk-fees"' in kiosk and 'href="/fees/"' in kiosk
    fees = client.get("/fees/").content.decode()
    assert 'data-testid="fees-back-to-kiosk" href="/kiosk/"' in fees
    assert '<meta http-equiv="refresh" content="120;url=/kiosk/">' in fees


def test_a_phone_sees_the_fees_without_the_kiosk_way_back(client):
    fees = client.get("/fees/").content.decode()
    assert "fees-back-to-kiosk" not in fees and 'http-equiv="refresh"' not in fees
