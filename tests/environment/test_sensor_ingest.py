"""Readings published to a real Mosquitto broker end up as per-minute figures; a reading outside
the branch's range raises an alert on the lobby dashboard; broken messages change nothing; and the
ingest outlives a broker that goes away and comes back."""

import json

import pytest

from environment.models import AlertKind, ReadingMinute, SensorAlert
from environment.services import threshold_set
from queueing.alerts import recent_alerts

pytestmark = pytest.mark.django_db


def test_readings_of_one_minute_are_kept_as_one_row(mqtt_url, prefix, start_ingest, publisher, clock,
                                                     lobby_sensors):
    ingest, sensor = start_ingest(mqtt_url, prefix), lobby_sensors["temperature"]
    pub = publisher(mqtt_url, prefix)
    for value in (22.0, 23.0, 24.5):
        pub.reading(sensor, value)
    assert ingest.wait(lambda i: len(i._buffer) == 3)
    assert ingest.flush() == 3

    row = ReadingMinute.objects.get(sensor=sensor)
    assert (row.count, row.low, row.high, row.last) == (3, 22.0, 24.5, 24.5)
    assert row.mean == pytest.approx(23.1667, abs=1e-3)
    sensor.refresh_from_db()
    assert sensor.last_seen_at == clock.now()


def test_a_reading_above_the_threshold_raises_one_alert_on_the_dashboard(
        mqtt_url, prefix, start_ingest, publisher, clock, lobby_sensors, branch,
        django_capture_on_commit_callbacks):
    ingest, co2 = start_ingest(mqtt_url, prefix), lobby_sensors["co2"]
    pub = publisher(mqtt_url, prefix)
    pub.reading(co2, 1450)
    pub.reading(co2, 1500)
    assert ingest.wait(lambda i: len(i._buffer) == 2)
    with django_capture_on_commit_callbacks(execute=True):
        ingest.flush()

    alert = SensorAlert.objects.get()
    assert (alert.kind, alert.value, alert.resolved_at) == (AlertKind.TOO_HIGH, 1500, None)
    dashboard = [a for a in recent_alerts(branch) if a["kind"] == "environment.too_high"]
    assert len(dashboard) == 1
    assert "1500" in dashboard[0]["text"]["zh-hans"] and "1000" in dashboard[0]["text"]["en"]

    clock.shift(minutes=1)
    pub.reading(co2, 820)
    assert ingest.wait(lambda i: len(i._buffer) == 1)
    ingest.flush()
    alert.refresh_from_db()
    assert alert.resolved_at == clock.now()


def test_the_branchs_own_threshold_is_the_one_judged(mqtt_url, prefix, start_ingest, publisher, clock,
                                                      lobby_sensors, branch, branch_admin):
    threshold_set(actor=branch_admin, branch=branch, kind="temperature", low=None, high=24)
    ingest = start_ingest(mqtt_url, prefix)
    publisher(mqtt_url, prefix).reading(lobby_sensors["temperature"], 25.0)  # fine by the standard's 27
    assert ingest.wait(lambda i: len(i._buffer) == 1)
    ingest.flush()
    assert SensorAlert.objects.get().limit == 24


def test_broken_and_unknown_messages_are_rejected_and_store_nothing(mqtt_url, prefix, start_ingest, publisher,
                                                                     clock, lobby_sensors, branch):
    ingest, temperature = start_ingest(mqtt_url, prefix), lobby_sensors["temperature"]
    pub = publisher(mqtt_url, prefix)
    pub.raw(f"{prefix}/{branch.code}/no-such-sensor", json.dumps({"value": 22}))
    pub.raw(f"{prefix}/{branch.code}/{temperature.key}", b"\xff not json")
    pub.raw(f"{prefix}/{branch.code}/{temperature.key}", json.dumps({"value": "warm"}))
    pub.reading(temperature, 72, unit="F")
    pub.reading(temperature, 300)  # no working thermometer reads this
    pub.reading(lobby_sensors["humidity"], -5)
    assert ingest.wait(lambda i: len(i._buffer) == 6)
    assert ingest.flush() == 0

    assert ingest.stats.rejected == {"unknown_sensor": 1, "not_json": 1, "not_a_number": 1, "unit": 1,
                                     "out_of_range": 2}
    assert not ReadingMinute.objects.exists() and not SensorAlert.objects.exists()


def test_a_chattering_sensor_is_rate_limited(mqtt_url, prefix, start_ingest, publisher, clock, lobby_sensors):
    ingest = start_ingest(mqtt_url, prefix, min_interval=60)
    pub = publisher(mqtt_url, prefix)
    for value in range(20, 26):
        pub.reading(lobby_sensors["temperature"], value)
    assert ingest.wait(lambda i: i.received() == 6)
    ingest.flush()
    assert ReadingMinute.objects.get().count == 1
    assert ingest.stats.rejected["rate_limited"] == 5


def test_the_ingest_reconnects_after_the_broker_restarts(own_broker, prefix, start_ingest, publisher, clock,
                                                         lobby_sensors):
    ingest = start_ingest(own_broker.url, prefix, reconnect_delay=(0.2, 1))
    publisher(own_broker.url, prefix).reading(lobby_sensors["temperature"], 22.0)
    assert ingest.wait(lambda i: len(i._buffer) == 1)
    ingest.flush()

    own_broker.stop()
    own_broker.start()
    assert ingest.wait(lambda i: i.stats.connects >= 2, timeout=20), "the ingest did not reconnect"
    clock.shift(minutes=1)
    publisher(own_broker.url, prefix).reading(lobby_sensors["temperature"], 23.0)
    assert ingest.wait(lambda i: len(i._buffer) == 1)
    ingest.flush()

    assert list(ReadingMinute.objects.order_by("minute").values_list("last", flat=True)) == [22.0, 23.0]
