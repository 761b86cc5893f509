"""The environment API: sensors with their state, history, acknowledging, thresholds and
registering, in the platform's one error shape."""

import pytest

from environment.models import SensorAlert, Threshold
from environment.services import readings_store
from tests.environment.helpers import reading

pytestmark = pytest.mark.django_db


def test_the_sensors_of_a_branch_with_their_state(client, lobby_manager, branch, lobby_sensors, clock):
    readings_store(readings=[reading(lobby_sensors["co2"], 1200, clock.now())])
    client.force_login(lobby_manager)
    body = client.get(f"/api/environment/branches/{branch.code}/sensors/").json()

    by_key = {sensor["key"]: sensor for sensor in body}
    assert by_key["lobby-co2"] | {"id": 0} == {
        "id": 0, "key": "lobby-co2", "kind": "co2", "location": "大堂", "unit": "ppm", "value": 1200.0,
        "state": "high", "last_seen_at": "2026-12-07T10:00:00+08:00", "low": None, "high": "1000.00"}
    assert by_key["lobby-temperature"]["state"] == "waiting"


def test_a_sensors_history_in_slices(client, head_office_admin, lobby_sensors, clock):
    sensor = lobby_sensors["temperature"]
    for value in (20, 22, 24):
        readings_store(readings=[reading(sensor, value, clock.now())])
        clock.shift(minutes=1)
    client.force_login(head_office_admin)
    body = client.get(f"/api/environment/sensors/{sensor.pk}/history/?hours=6").json()
    assert [(s["low"], s["high"]) for s in body] == [(20.0, 24.0)]  # 6 h in 96 slices of 3.75 min

    wrong = client.get(f"/api/environment/sensors/{sensor.pk}/history/?hours=5")
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "invalid" and "hours" in wrong.json()["errors"]


def test_an_alert_is_acknowledged_once(client, lobby_manager, lobby_sensors, clock):
    readings_store(readings=[reading(lobby_sensors["humidity"], 85, clock.now())])
    alert = SensorAlert.objects.get()
    client.force_login(lobby_manager)
    first = client.post(f"/api/environment/alerts/{alert.pk}/acknowledge/")
    again = client.post(f"/api/environment/alerts/{alert.pk}/acknowledge/")

    assert first.status_code == 200 and first.json()["acknowledged_at"] == "2026-12-07T10:00:00+08:00"
    assert again.status_code == 409 and again.json()["code"] == "already_acknowledged"


def test_thresholds_through_the_api(client, branch_admin, lobby_manager, branch):
    client.force_login(branch_admin)
    url = f"/api/environment/branches/{branch.code}/thresholds"
    ok = client.put(f"{url}/noise/", {"high": "55"}, content_type="application/json")
    wrong = client.put(f"{url}/noise/", {"low": "70", "high": "55"}, content_type="application/json")
    implausible = client.put(f"{url}/humidity/", {"high": "120"}, content_type="application/json")

    assert ok.status_code == 200 and ok.json() == {"kind": "noise", "low": None, "high": "55.00"}
    assert wrong.status_code == 400 and set(wrong.json()["errors"]) == {"high"}
    assert implausible.status_code == 400 and set(implausible.json()["errors"]) == {"high"}
    assert list(Threshold.objects.values_list("kind", "high")) == [("noise", 55)]
    client.force_login(lobby_manager)
    assert client.put(f"/api/environment/branches/{branch.code}/thresholds/noise/", {"high": "90"},
                      content_type="application/json").status_code == 403


def test_registering_a_sensor_gives_its_topic(client, branch_admin, branch):
    client.force_login(branch_admin)
    url = f"/api/environment/branches/{branch.code}/sensors/register/"
    created = client.post(url, {"key": "atm-noise", "kind": "noise"}, content_type="application/json")
    duplicate = client.post(url, {"key": "atm-noise", "kind": "light"}, content_type="application/json")
    unknown = client.post(url, {"key": "x", "kind": "radiation"}, content_type="application/json")

    assert created.status_code == 201 and created.json()["topic"] == f"branchsvc/env/{branch.code}/atm-noise"
    assert duplicate.status_code == 400 and "key" in duplicate.json()["errors"]
    assert unknown.status_code == 400 and "kind" in unknown.json()["errors"]
