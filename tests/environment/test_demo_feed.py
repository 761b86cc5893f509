"""`make run`'s demo has sensors but no hardware: the demo feed keeps them reporting, so the lobby
manager sees live tiles instead of a 'no data' alert per sensor five minutes after start."""

import random

import pytest

from environment.demo_feed import feed_round
from environment.models import AlertKind, SensorAlert
from environment.tasks import scan_silent_sensors
from environment.tiles import State, tiles

pytestmark = pytest.mark.django_db


def test_the_demo_feed_keeps_every_sensor_live_and_resolves_silence(clock, lobby_sensors, branch):
    clock.shift(minutes=6)
    scan_silent_sensors.delay()
    open_silent = SensorAlert.objects.filter(kind=AlertKind.SILENT, resolved_at__isnull=True)
    assert open_silent.count() == len(lobby_sensors)

    assert feed_round(random.Random(1), clock.now()) == len(lobby_sensors)

    assert not SensorAlert.objects.filter(kind=AlertKind.SILENT, resolved_at__isnull=True).exists()
    states = {tile.sensor.key: tile.state for tile in tiles(branch)}
    assert set(states) == {sensor.key for sensor in lobby_sensors.values()}
    assert State.SILENT not in states.values()
    clock.shift(minutes=4)
    feed_round(random.Random(2), clock.now())
    clock.shift(minutes=4)
    scan_silent_sensors.delay()
    assert not SensorAlert.objects.filter(kind=AlertKind.SILENT, resolved_at__isnull=True).exists()


def test_a_sensor_taken_out_of_service_gets_no_demo_readings(clock, lobby_sensors, branch_admin):
    from environment.services import sensor_set_active

    sensor = next(iter(lobby_sensors.values()))
    sensor_set_active(actor=branch_admin, sensor=sensor, active=False)
    assert feed_round(random.Random(1), clock.now()) == len(lobby_sensors) - 1
    sensor.refresh_from_db()
    assert sensor.last_seen_at is None
