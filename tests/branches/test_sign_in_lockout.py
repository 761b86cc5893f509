"""Staff sign-in lockout: per account across addresses, per address across accounts, and the
branch admin's unlock."""

import pytest

from branches.roles import Role
from compliance.models import AuditEvent
from tests.factories import make_staff


def _sign_in(client, user, password, address):
    return client.post("/accounts/login/", {"username": user.username, "password": password},
                       REMOTE_ADDR=address)


def test_guesses_spread_over_addresses_lock_the_account(client, branch):
    teller = make_staff(Role.TELLER, branch)
    for n in range(5):
        _sign_in(client, teller, "wrong", f"10.0.0.{n + 1}")
    locked = _sign_in(client, teller, "pw", "10.0.9.9")
    assert locked.status_code == 429
    assert "15" in locked.content.decode()  # how long to wait
    assert client.get("/staff/").status_code == 302


def test_a_locked_address_refuses_every_account_but_other_addresses_work(client, branch, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    victims = [make_staff(Role.TELLER, branch) for _ in range(3)]
    for victim in victims:
        for _ in range(2):
            _sign_in(client, victim, "wrong", "10.0.0.66")
    someone = make_staff(Role.TELLER, branch)
    assert _sign_in(client, someone, "pw", "10.0.0.66").status_code == 429
    assert _sign_in(client, someone, "pw", "10.0.0.67").status_code == 302


def test_a_branch_admin_unlocks_a_locked_teller_and_it_is_audited(client, branch):
    teller = make_staff(Role.TELLER, branch, username="locked-teller")
    for n in range(5):
        _sign_in(client, teller, "wrong", f"10.0.1.{n}")
    admin = make_staff(Role.BRANCH_ADMIN, branch)
    client.force_login(admin)
    page = client.get(f"/branches/{branch.code}/sign-in-locks/")
    assert "locked-teller" in page.content.decode()
    assert page["Cache-Control"].count("no-store")
    response = client.post(f"/branches/{branch.code}/sign-in-locks/{teller.pk}/unlock/")
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="staff.sign_in_unlock")
    assert event.actor_id == admin.pk and event.object_id == str(teller.pk)
    client.logout()
    assert _sign_in(client, teller, "pw", "10.0.1.9").status_code == 302


def test_another_branchs_admin_cannot_unlock(client, branch, other_branch):
    teller = make_staff(Role.TELLER, branch)
    client.force_login(make_staff(Role.BRANCH_ADMIN, other_branch))
    response = client.post(f"/branches/{branch.code}/sign-in-locks/{teller.pk}/unlock/")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="staff.sign_in_unlock").exists()


@pytest.mark.parametrize("role", [Role.TELLER, Role.LOBBY_MANAGER])
def test_only_branch_admins_see_the_locks(client, branch, role):
    client.force_login(make_staff(role, branch))
    assert client.get(f"/branches/{branch.code}/sign-in-locks/").status_code == 403
