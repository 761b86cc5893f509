"""A sensor that stops reporting is an alert on its branch's dashboard, once; its next reading
resolves it. The scan runs on Celery beat."""

import pytest

from environment.models import AlertKind, SensorAlert
from environment.services import readings_store
from environment.tasks import scan_silent_sensors
from environment.tiles import State, tiles
from queueing.alerts import recent_alerts
from tests.environment.helpers import reading

pytestmark = pytest.mark.django_db


def test_a_sensor_quiet_for_five_minutes_raises_one_alert(clock, lobby_sensors, branch,
                                                          django_capture_on_commit_callbacks):
    temperature = lobby_sensors["temperature"]
    readings_store(readings=[reading(temperature, 22.0, clock.now())])
    clock.shift(minutes=4)
    scan_silent_sensors.delay()
    assert not SensorAlert.objects.filter(sensor=temperature).exists()

    clock.shift(minutes=2)
    with django_capture_on_commit_callbacks(execute=True):
        scan_silent_sensors.delay()
        scan_silent_sensors.delay()

    alert = SensorAlert.objects.get(sensor=temperature)
    assert alert.kind == AlertKind.SILENT
    texts = [a["text"]["zh-hans"] for a in recent_alerts(branch) if a["kind"] == "environment.silent"]
    # Two scans, one alert per quiet sensor (the other two never reported at all).
    assert len(texts) == len(lobby_sensors)
    assert "大堂的温度传感器自 10:00 起没有数据，请检查。" in texts  # Beijing time of its last reading
    assert {t.sensor.key: t.state for t in tiles(branch)}[temperature.key] == State.SILENT


def test_a_registered_sensor_that_never_reported_is_silent_too(clock, lobby_sensors):
    clock.shift(minutes=6)
    scan_silent_sensors.delay()
    assert SensorAlert.objects.filter(kind=AlertKind.SILENT).count() == len(lobby_sensors)


def test_the_next_reading_resolves_the_silent_alert(clock, lobby_sensors):
    humidity = lobby_sensors["humidity"]
    clock.shift(minutes=6)
    scan_silent_sensors.delay()
    readings_store(readings=[reading(humidity, 45, clock.now())])

    alert = SensorAlert.objects.get(sensor=humidity)
    assert alert.resolved_at == clock.now()
    clock.shift(minutes=6)
    scan_silent_sensors.delay()
    assert SensorAlert.objects.filter(sensor=humidity).count() == 2  # silent again: a new alert


def test_a_sensor_out_of_service_is_never_silent(clock, lobby_sensors, branch_admin):
    from environment.services import sensor_set_active

    for sensor in lobby_sensors.values():
        sensor_set_active(actor=branch_admin, sensor=sensor, active=False)
    clock.shift(hours=1)
    scan_silent_sensors.delay()
    assert not SensorAlert.objects.exists()
