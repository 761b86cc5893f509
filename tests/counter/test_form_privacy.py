"""A customer's pre-filled form on least privilege: masked for staff and devices, revealed one
field at a time with a reason (audited), opened by no device but the kiosk that started it."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from branches.roles import Role
from compliance.models import AuditEvent
from tests.counter.schemas import GOOD_VALUES, VALID_ID
from tests.factories import make_device, make_staff


def _device(branch, kind):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {make_device(branch, kind)[1]}")
    return client


@pytest.fixture
def kiosk(branch):
    return _device(branch, "kiosk")


@pytest.fixture
def filled_form(kiosk, ticket, service_type):
    form = kiosk.post(reverse("counter:api-form-start"),
                      {"service_type": service_type.code, "ticket": ticket.public_token},
                      format="json").json()
    saved = kiosk.post(reverse("counter:api-form-submit", args=[form["id"]]),
                       {"values": GOOD_VALUES}, format="json")
    assert saved.status_code == 200, saved.content
    return form["id"]


def test_every_staff_role_sees_the_id_and_mobile_masked(client, branch, filled_form):
    for role in (Role.TELLER, Role.WEALTH_MANAGER, Role.LOBBY_MANAGER, Role.BRANCH_ADMIN):
        client.force_login(make_staff(role, branch))
        values = client.get(reverse("counter:api-form", args=[filled_form])).json()["values"]
        assert values["id_number"] == "1101**********002X", role
        assert values["mobile"] == "138****5678", role
        assert "no-store" in client.get(reverse("counter:api-form", args=[filled_form]))["Cache-Control"]


def test_the_kiosk_that_started_the_form_opens_it_masked(kiosk, filled_form):
    response = kiosk.get(reverse("counter:api-form", args=[filled_form]))
    assert response.status_code == 200
    assert VALID_ID not in response.content.decode()


@pytest.mark.parametrize("kind", ["lobby_screen", "entrance_camera", "kiosk", "vtm"])
def test_other_devices_of_the_branch_neither_read_nor_write_the_form(kind, branch, filled_form):
    device = _device(branch, kind)
    assert device.get(reverse("counter:api-form", args=[filled_form])).status_code == 404
    written = device.post(reverse("counter:api-form-draft", args=[filled_form]),
                          {"values": {"full_name": "篡改"}}, format="json")
    assert written.status_code == 404


def test_a_teller_reveals_one_field_with_a_reason_and_it_is_audited(client, branch, filled_form):
    teller = make_staff(Role.TELLER, branch)
    client.force_login(teller)
    url = reverse("counter:api-form-reveal", args=[filled_form])
    refused = client.post(url, {"field": "id_number", "reason": ""}, content_type="application/json")
    assert refused.status_code == 400
    response = client.post(url, {"field": "id_number", "reason": "核对身份证原件"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["value"] == VALID_ID
    event = AuditEvent.objects.get(action="form.reveal")
    assert event.actor_id == teller.pk and event.after == {"field": "id_number", "reason": "核对身份证原件"}


def test_a_lobby_manager_without_the_reveal_permission_is_refused(client, branch, filled_form):
    client.force_login(make_staff(Role.LOBBY_MANAGER, branch))
    response = client.post(reverse("counter:api-form-reveal", args=[filled_form]),
                           {"field": "id_number", "reason": "想看看"}, content_type="application/json")
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="form.reveal").exists()
