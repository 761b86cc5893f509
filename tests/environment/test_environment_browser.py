"""In Chromium: the lobby manager sees the environment tiles on the dashboard and acknowledges a
CO₂ alert there; head office reads a branch's day of history as charts. No serious or critical
accessibility violation on either page."""

import datetime as dt

import pytest
from django.utils import timezone

from environment.models import SensorAlert
from environment.services import readings_store, sensor_register
from tests.browser import DESK, axe_violations, off_the_browser_thread, screenshot, signed_in_page
from tests.environment.helpers import reading

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def branch_with_a_day_of_readings(branch):
    import random

    from environment.demo import SENSORS
    from environment.simulate import reading as simulated

    rng, now = random.Random(7), timezone.now().replace(second=0, microsecond=0)
    sensors = [sensor_register(actor=None, branch=branch, key=key, kind=kind, location=location)
               for key, kind, location in SENSORS]
    batch = []
    for minutes in range(24 * 60, 0, -5):
        at = now - dt.timedelta(minutes=minutes - 4)  # the last a minute ago
        local = at.astimezone(branch.tz)
        batch += [reading(s, simulated(s.kind, local.hour + local.minute / 60, rng), at) for s in sensors]
    readings_store(readings=batch)
    co2 = next(s for s in sensors if s.kind == "co2")
    # The alert is pushed live after commit: not from the thread Playwright's event loop runs in.
    off_the_browser_thread(readings_store, readings=[reading(co2, 1480, timezone.now())])
    return branch


def test_the_lobby_manager_acknowledges_a_co2_alert_on_the_dashboard(
        chromium, asgi_server, lobby_manager, branch_with_a_day_of_readings):
    page = signed_in_page(chromium, asgi_server, lobby_manager, **DESK)
    page.goto(f"{asgi_server}/queue/dashboard/")
    page.wait_for_selector(".env-tile.state-high[data-sensor=lobby-co2]")
    assert "1480" in page.inner_text(".env-tile.state-high")
    assert "大堂二氧化碳读数 1480 ppm，高于 1000。" in page.inner_text("#environment-tiles")
    screenshot(page, "environment-dashboard")

    page.click("#environment-tiles [data-alert] button")
    page.wait_for_selector("#environment-tiles [data-alert]", state="detached")
    assert SensorAlert.objects.get().acknowledged_by == lobby_manager

    # The dashboard around the tiles is another page's (its own axe checks); the branch page
    # shows the same tiles with the charts.
    page.goto(f"{asgi_server}/environment/{branch_with_a_day_of_readings.code}/")
    page.wait_for_selector("figure.env-chart svg")
    assert axe_violations(page) == []


def test_head_office_reads_the_day_as_charts(chromium, asgi_server, head_office_admin,
                                             branch_with_a_day_of_readings):
    branch = branch_with_a_day_of_readings
    page = signed_in_page(chromium, asgi_server, head_office_admin, **DESK)
    page.goto(f"{asgi_server}/environment/{branch.code}/")
    page.wait_for_selector("figure.env-chart svg polyline.mean")
    assert page.locator("figure.env-chart").count() == 6
    assert page.locator("#thresholds tbody input").count() == 12  # lowest and highest of six kinds
    screenshot(page, "environment-history")
    assert axe_violations(page) == []
