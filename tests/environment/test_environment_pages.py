"""The pages people use: tiles on the lobby dashboard, acknowledging an alert, the head-office
overview with history charts, thresholds and the sensor registry, each for the right roles only."""

import pytest

from branches.roles import Role
from compliance.models import AuditEvent
from environment.models import Sensor, SensorAlert, Threshold
from environment.services import readings_store, sensor_register
from tests.environment.helpers import reading

pytestmark = pytest.mark.django_db


@pytest.fixture
def co2_too_high(clock, lobby_sensors):
    readings_store(readings=[reading(lobby_sensors["co2"], 1500, clock.now())])
    return SensorAlert.objects.get()


@pytest.mark.parametrize("role, status", [(Role.LOBBY_MANAGER, 200), (Role.BRANCH_ADMIN, 200),
                                          (Role.HEAD_OFFICE_ADMIN, 200), (Role.TELLER, 403),
                                          (Role.COMPLIANCE_OFFICER, 403), (Role.CUSTOMER, 403)])
def test_only_managers_see_the_tiles(client, users_by_role, branch, lobby_sensors, role, status):
    client.force_login(users_by_role[role])
    assert client.get(f"/environment/{branch.code}/tiles/").status_code == status


def test_a_visitor_is_sent_to_sign_in(client, branch):
    response = client.get(f"/environment/{branch.code}/tiles/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_lobby_manager_cannot_see_another_branch(client, lobby_manager, other_branch):
    client.force_login(lobby_manager)
    assert client.get(f"/environment/{other_branch.code}/tiles/").status_code == 404


def test_the_lobby_dashboard_loads_the_tiles(client, lobby_manager, branch):
    client.force_login(lobby_manager)
    page = client.get(f"/queue/dashboard/?branch={branch.code}").content.decode()
    assert f'hx-get="/environment/{branch.code}/tiles/"' in page


def test_tiles_show_values_and_the_alert_to_acknowledge(client, lobby_manager, branch, co2_too_high, clock,
                                                        lobby_sensors):
    readings_store(readings=[reading(lobby_sensors["temperature"], 22.46, clock.now())])
    client.force_login(lobby_manager)
    page = client.get(f"/environment/{branch.code}/tiles/").content.decode()
    assert "22.5" in page and "1500" in page
    assert "偏高" in page and "尚无读数" in page  # the CO₂ tile, the humidity sensor yet unheard
    assert "大堂二氧化碳读数 1500 ppm，高于 1000。" in page


def test_a_lobby_manager_acknowledges_an_alert(client, lobby_manager, branch, co2_too_high, clock):
    client.force_login(lobby_manager)
    response = client.post(f"/environment/alerts/{co2_too_high.pk}/acknowledge/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert f'data-alert="{co2_too_high.pk}"' not in response.content.decode()
    co2_too_high.refresh_from_db()
    assert (co2_too_high.acknowledged_by, co2_too_high.acknowledged_at) == (lobby_manager, clock.now())
    assert AuditEvent.objects.filter(action="environment.alert.acknowledge",
                                     actor_id=lobby_manager.pk).exists()


def test_a_lobby_manager_cannot_acknowledge_another_branchs_alert(client, lobby_manager, other_branch, clock):
    sensor = sensor_register(actor=None, branch=other_branch, key="co2", kind="co2")
    readings_store(readings=[reading(sensor, 2000, clock.now())])
    client.force_login(lobby_manager)
    alert = SensorAlert.objects.get()
    assert client.post(f"/environment/alerts/{alert.pk}/acknowledge/").status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_head_office_sees_every_branch_and_a_history_chart(client, head_office_admin, branch, other_branch,
                                                            lobby_sensors, clock):
    for minutes in range(0, 120, 10):
        readings_store(readings=[reading(lobby_sensors["temperature"], 21 + minutes / 60, clock.now())])
        clock.shift(minutes=10)
    client.force_login(head_office_admin)
    overview = client.get("/environment/").content.decode()
    assert f'data-branch="{branch.code}"' in overview and f'data-branch="{other_branch.code}"' in overview

    page = client.get(f"/environment/{branch.code}/?hours=6").content.decode()
    assert page.count('<svg class="chart"') == len(lobby_sensors)
    assert 'class="mean"' in page and 'class="limit"' in page  # the line and the thresholds
    assert "12-07 10:00" in page  # the figures under the chart, in Beijing time


def test_a_branch_admin_sets_thresholds(client, branch_admin, branch):
    client.force_login(branch_admin)
    response = client.post(f"/environment/{branch.code}/thresholds/", {
        "temperature-low": "19", "temperature-high": "25", "humidity-low": "30", "humidity-high": "70",
        "pm25-high": "75", "co2-high": "900", "noise-high": "60", "light-low": "300"})

    assert response.status_code == 302
    assert {(t.kind, t.low, t.high) for t in Threshold.objects.all()} == {
        ("temperature", 19, 25), ("co2", None, 900)}  # only what differs from the standard is written
    assert AuditEvent.objects.filter(action="environment.threshold.set").count() == 2


def test_a_wrong_threshold_changes_nothing(client, branch_admin, branch):
    client.force_login(branch_admin)
    response = client.post(f"/environment/{branch.code}/thresholds/", {
        "temperature-low": "19", "temperature-high": "25", "co2-low": "900", "co2-high": "800"})

    assert response.status_code == 400
    assert "最高值必须大于最低值。" in response.content.decode()
    assert not Threshold.objects.exists()


def test_a_lobby_manager_cannot_change_thresholds(client, lobby_manager, branch):
    client.force_login(lobby_manager)
    assert client.post(f"/environment/{branch.code}/thresholds/", {"co2-high": "2000"}).status_code == 403


def test_a_branch_admin_registers_and_retires_a_sensor(client, branch_admin, branch):
    client.force_login(branch_admin)
    response = client.post(f"/environment/{branch.code}/sensors/",
                           {"key": "vip-temp", "kind": "temperature", "location": "贵宾室"})
    assert response.status_code == 302
    sensor = Sensor.objects.get(key="vip-temp")
    page = client.get(f"/environment/{branch.code}/").content.decode()
    assert f"branchsvc/env/{branch.code}/vip-temp" in page  # the topic to configure on the device

    duplicate = client.post(f"/environment/{branch.code}/sensors/", {"key": "vip-temp", "kind": "co2"})
    assert duplicate.status_code == 400
    client.post(f"/environment/sensors/{sensor.pk}/active/")
    sensor.refresh_from_db()
    assert not sensor.is_active
    assert AuditEvent.objects.filter(action="environment.sensor.deactivate",
                                     actor_id=branch_admin.pk).exists()
