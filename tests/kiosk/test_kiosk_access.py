"""Who may use the kiosk API and pages: only signed-in kiosks and VTMs; staff pages by role."""

import pytest

from branches.roles import Role
from branches.services import device_revoke
from kiosk.models import ActivityKind, SelfServiceRecord
from tests.factories import make_device
from tests.kiosk.conftest import start


@pytest.mark.parametrize("role", [Role.TELLER, Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.CUSTOMER, None])
def test_people_cannot_use_the_kiosk_api(client, users_by_role, role):
    if users_by_role[role] is not None:
        client.force_login(users_by_role[role])
    response = client.post("/api/kiosk/session/", {"language": "zh-hans"}, content_type="application/json")
    assert response.status_code in (401, 403)


def test_a_lobby_screen_cannot_run_self_service(client, branch):
    _screen, token = make_device(branch, "lobby_screen")
    response = client.post("/api/kiosk/session/", {}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Device {token}")
    assert response.status_code == 403


def test_a_kiosk_may_use_its_token_header_instead_of_a_session(client, kiosk_device):
    response = client.post("/api/kiosk/heartbeat/", HTTP_AUTHORIZATION=f"Device {kiosk_device[1]}")
    assert response.status_code == 200


def test_a_revoked_token_is_refused_at_once(client, kiosk, kiosk_device, branch_admin):
    start(kiosk)
    device_revoke(actor=branch_admin, device=kiosk_device[0])
    assert kiosk.post("/api/kiosk/heartbeat/").status_code in (401, 403)
    header = f"Device {kiosk_device[1]}"
    assert client.post("/api/kiosk/heartbeat/", HTTP_AUTHORIZATION=header).status_code == 401
    assert kiosk.get("/kiosk/").status_code == 302


def test_a_kiosk_of_another_branch_cannot_open_this_branchs_form(kiosk, account_open, other_branch, clock):
    from tests.kiosk.conftest import device_client

    start(kiosk)
    form = kiosk.post("/api/kiosk/forms/", {"service_type": account_open.code},
                      content_type="application/json").json()
    stranger = device_client(make_device(other_branch, "kiosk")[1])
    start(stranger)
    # Even with the form's id planted in its own browser session, the other branch gets nothing.
    browser_session = stranger.session
    browser_session["kiosk.form"] = form["form"]
    browser_session.save()
    response = stranger.post(f"/api/kiosk/forms/{form['form']}/", {"values": {}},
                             content_type="application/json")
    assert response.status_code == 404


@pytest.mark.parametrize("role", [Role.WEALTH_MANAGER, Role.LOBBY_MANAGER, Role.CUSTOMER])
def test_only_tellers_open_the_remote_teller_console(client, users_by_role, role):
    client.force_login(users_by_role[role])
    assert client.get("/kiosk/remote-teller/").status_code == 403


def test_a_teller_who_is_not_a_remote_teller_is_refused_the_console(client, teller):
    client.force_login(teller)
    assert client.get("/kiosk/remote-teller/").status_code == 403


def test_the_remote_teller_console_lists_waiting_calls(client, remote_teller, vtm, account_open, clock):
    start(vtm)
    vtm.post("/api/kiosk/vtm/", {"service_type": account_open.code}, content_type="application/json")
    client.force_login(remote_teller)
    page = client.get("/kiosk/remote-teller/").content.decode()
    assert "data-accept=" in page and account_open.name_zh_hans in page


def test_a_question_is_answered_and_remembered_as_self_service(kiosk, clock):
    start(kiosk)
    response = kiosk.post("/api/kiosk/ask/", {"question": "信用卡丢了怎么办"},
                          content_type="application/json")
    assert response.status_code == 200
    assert response.json()["message"]
    assert SelfServiceRecord.objects.filter(kind=ActivityKind.QUESTION).count() == 1
