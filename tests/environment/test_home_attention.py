"""An unacknowledged sensor alert is on the lobby manager's home page until someone looks."""

import pytest

from environment.models import SensorAlert
from environment.services import readings_store, sensor_alert_acknowledge
from tests.environment.helpers import reading
from tests.staff_home import staff_home

pytestmark = pytest.mark.django_db


def test_a_sensor_alert_waits_on_the_lobby_managers_home_until_acknowledged(
        client, lobby_manager, teller, branch, lobby_sensors, clock):
    readings_store(readings=[reading(lobby_sensors["co2"], 1500, clock.now())])
    page = staff_home(client, lobby_manager)
    assert "有 1 条传感器告警" in page and f"/environment/{branch.code}/" in page
    assert "传感器告警" not in staff_home(client, teller)
    sensor_alert_acknowledge(actor=lobby_manager, alert=SensorAlert.objects.get())
    assert "传感器告警" not in staff_home(client, lobby_manager)
