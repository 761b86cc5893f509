import pytest

from compliance.models import AuditEvent
from tests.factories import make_device


@pytest.fixture
def kiosk(branch, branch_admin):
    return make_device(branch, "kiosk", actor=branch_admin)


def test_branch_admin_issues_a_token_shown_once(client, branch, branch_admin):
    client.force_login(branch_admin)
    response = client.post(f"/api/branches/{branch.code}/devices/",
                           {"kind": "lobby_screen", "name": "大堂屏1"}, content_type="application/json")
    assert response.status_code == 201
    token = response.json()["token"]
    assert token.startswith("dev_")
    listed = client.get(f"/api/branches/{branch.code}/devices/").json()
    assert "token" not in listed[0] and token not in str(listed)
    event = AuditEvent.objects.get(action="device.issue_token")
    assert token not in str(event.after)


def test_device_token_authenticates_api_calls(client, kiosk):
    from branches.models import Device

    device, token = kiosk
    assert Device.objects.by_token(token) == device
    response = client.get("/api/customers/", HTTP_AUTHORIZATION=f"Device {token}")
    # A device is not a person: staff endpoints stay closed to it.
    assert response.status_code == 403


def test_a_wrong_token_is_refused_with_401(client, db):
    response = client.get("/api/customers/", HTTP_AUTHORIZATION="Device dev_nope_nope")
    assert response.status_code == 401


def test_revoked_token_is_refused_at_once(client, branch, branch_admin, kiosk):
    device, token = kiosk
    client.force_login(branch_admin)
    response = client.post(f"/api/branches/{branch.code}/devices/{device.pk}/revoke/")
    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    client.logout()
    assert client.get("/api/customers/", HTTP_AUTHORIZATION=f"Device {token}").status_code == 401
    assert AuditEvent.objects.filter(action="device.revoke", object_id=str(device.pk)).exists()


def test_a_revoked_kiosk_is_refused_on_its_very_next_request_after_it_was_remembered(
        client, branch_admin, kiosk, django_capture_on_commit_callbacks):
    from branches.services import device_revoke

    device, token = kiosk
    for _ in range(2):  # the second request finds the device in this process's memory
        assert client.get("/api/customers/", HTTP_AUTHORIZATION=f"Device {token}").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        device_revoke(actor=branch_admin, device=device)
    assert client.get("/api/customers/", HTTP_AUTHORIZATION=f"Device {token}").status_code == 401


def test_a_kiosk_of_a_closed_down_branch_is_refused_on_its_next_request(client, branch, kiosk):
    _device, token = kiosk
    assert client.get("/api/customers/", HTTP_AUTHORIZATION=f"Device {token}").status_code == 403
    branch.is_active = False
    branch.save(update_fields=["is_active"])
    assert client.get("/api/customers/", HTTP_AUTHORIZATION=f"Device {token}").status_code == 401


def test_a_remembered_device_is_a_fresh_copy_for_each_request(client, kiosk):
    _device, token = kiosk
    first = client.get("/api/customers/", HTTP_AUTHORIZATION=f"Device {token}").wsgi_request
    second = client.get("/api/customers/", HTTP_AUTHORIZATION=f"Device {token}").wsgi_request
    assert first.device == second.device and first.device is not second.device
    assert first.device.branch is not second.device.branch


def test_device_browser_signs_in_with_its_token_and_is_signed_out_by_revocation(client, kiosk,
                                                                               branch_admin):
    from branches.services import device_revoke

    device, token = kiosk
    response = client.post("/device/login/", {"token": token})
    assert response.status_code == 302
    page = client.get("/device/", follow=True)
    assert page.wsgi_request.device == device
    device_revoke(actor=branch_admin, device=device)
    assert client.get("/device/").url == "/device/login/"


def test_device_sign_in_with_a_bad_token_says_so(client, db):
    response = client.post("/device/login/", {"token": "dev_forged"})
    assert response.status_code == 200
    assert "revoked" in response.content.decode() or "撤销" in response.content.decode()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_revocation_reaches_the_device_group(kiosk, branch_admin):
    """Consumers of a device listen on its group; revocation is pushed there after commit."""
    from asgiref.sync import sync_to_async
    from channels.layers import get_channel_layer

    from branches.services import device_revoke
    from core.live import groups

    device, _token = kiosk
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(groups.device(device.pk), channel)
    await sync_to_async(device_revoke)(actor=branch_admin, device=device)
    message = await layer.receive(channel)
    assert message["event"] == "device.revoked"
